import { useState } from 'react';
import { connectSandbox, type Integration } from '../api/integrations';
import { useToast } from '../components/Toasts';

/** The server's sandbox location (a fake GHL in development): every GHL feature, no GHL account. */
export function SandboxConnect({ orgId, locationId, onConnected }: { orgId: string; locationId: string; onConnected: (i: Integration) => void }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const connect = async () => {
    setBusy(true);
    try {
      onConnected(await connectSandbox(orgId));
    } catch (e) {
      toast.error(e, 'Could not connect the sandbox location');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="sandbox-connect" data-testid="sandbox-connect">
      <p>
        This server runs a <strong>sandbox GoHighLevel location</strong> (<code>{locationId}</code>) with sample contacts, users, a pipeline and a
        calendar. Connect it to try contacts sync, GHL events, GHL steps in flows and team import without a GHL account.
      </p>
      <button type="button" className="btn-primary" disabled={busy} onClick={() => void connect()}>
        {busy ? 'Connecting…' : 'Connect the sandbox location'}
      </button>
    </div>
  );
}
