import { useState } from 'react';
import { startOAuth } from '../api/integrations';
import { ApiError } from '../api/problem';
import { ErrorAlert } from '../components/Notices';
import { useLoad } from '../use-load';

/**
 * "Connect with OAuth": sends the browser to GHL's consent page; the server's callback brings it
 * back to the Integrations page. Asking for the URL up front tells whether the server has an
 * OAuth app configured (503 otherwise), so the button can say why it is off before anyone clicks.
 */
export function OAuthConnect({ orgId }: { orgId: string }) {
  const probe = useLoad((signal) => startOAuth(orgId, signal), [orgId]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const unavailable = probe.error instanceof ApiError && probe.error.status === 503 ? probe.error.message : undefined;

  const connect = async () => {
    setBusy(true);
    setError(undefined);
    try {
      // A fresh URL: the one from the probe may carry a state that has expired since.
      const { url } = await startOAuth(orgId);
      location.assign(url);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };

  return (
    <div className="oauth-connect">
      <h3>With OAuth</h3>
      <p className="muted">Sign in to GoHighLevel and pick the location to install Flowline’s marketplace app on. Tokens refresh by themselves.</p>
      <ErrorAlert message={error} />
      <button type="button" className="btn-primary" disabled={busy || probe.loading || unavailable !== undefined} aria-describedby={unavailable ? 'oauth-unavailable' : undefined} onClick={() => void connect()}>
        {busy ? 'Opening GoHighLevel…' : 'Connect with OAuth'}
      </button>
      {unavailable && (
        <p id="oauth-unavailable" className="field-hint" data-testid="oauth-unavailable">
          Not available on this server: {unavailable}
        </p>
      )}
    </div>
  );
}
