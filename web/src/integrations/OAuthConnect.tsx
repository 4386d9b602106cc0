import { useState } from 'react';
import { type Availability, startOAuth } from '../api/integrations';
import { ErrorAlert } from '../components/Notices';

/**
 * "Connect with OAuth": sends the browser to GHL's consent page; the server's callback brings it
 * back to the Integrations page. The integrations list says whether the server has an OAuth app
 * configured, so the button can say why it is off before anyone clicks.
 */
export function OAuthConnect({ orgId, availability }: { orgId: string; availability: Availability }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const unavailable = availability.available ? undefined : (availability.reason ?? 'OAuth is not configured');

  const connect = async () => {
    setBusy(true);
    setError(undefined);
    try {
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
      <button type="button" className="btn-primary" disabled={busy || unavailable !== undefined} aria-describedby={unavailable ? 'oauth-unavailable' : undefined} onClick={() => void connect()}>
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
