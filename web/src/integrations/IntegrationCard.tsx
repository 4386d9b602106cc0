import { useId, useState } from 'react';
import { disconnectIntegration, type Integration, rotateIntegration, syncContacts, type TestResult, testIntegration } from '../api/integrations';
import type { Membership } from '../api/types';
import { ConfirmButton } from '../components/ConfirmButton';
import { CopyButton } from '../components/CopyButton';
import { useToast } from '../components/Toasts';
import { formatTime } from '../executions/format';
import { may } from '../permissions';
import { Link } from '../router';
import { IntegrationStatusBadge } from './IntegrationStatusBadge';
import { authTypeLabel, integrationLabel, webhookUrl } from './labels';
import { TeamImportDialog } from './TeamImportDialog';

interface Props {
  orgId: string;
  membership: Membership;
  integration: Integration;
  onChanged: (integration: Integration) => void;
  onRemoved: (id: string) => void;
}

type Busy = 'test' | 'sync' | 'rotate' | undefined;

/** One connected location: its state, the URL for GHL workflows, and what a member may do with it. */
export function IntegrationCard({ orgId, membership, integration: i, onChanged, onRemoved }: Props) {
  const toast = useToast();
  const [busy, setBusy] = useState<Busy>();
  const [tested, setTested] = useState<TestResult>();
  const [importing, setImporting] = useState(false);
  const label = integrationLabel(i);
  const canUpdate = may(membership, 'integrations', 'update');
  const canDelete = may(membership, 'integrations', 'delete');
  const canSync = may(membership, 'contacts', 'update');
  const canImport = may(membership, 'team_members', 'create');
  const connected = i.status === 'connected';

  const run = async (what: Exclude<Busy, undefined>, action: () => Promise<void>, failure: string) => {
    setBusy(what);
    try {
      await action();
    } catch (e) {
      toast.error(e, failure);
    } finally {
      setBusy(undefined);
    }
  };

  const test = () =>
    run(
      'test',
      async () => {
        const result = await testIntegration(orgId, i.id);
        setTested(result);
        onChanged(result.integration);
        if (result.ok) toast.success('Connection works', result.location ? `${result.location.name} (${result.location.id})` : label);
        else toast.error(new Error(result.integration.statusDetail ?? 'GoHighLevel refused the credentials.'), `${label}: connection failed`);
      },
      'Could not test the connection',
    );

  const sync = () =>
    run(
      'sync',
      async () => {
        await syncContacts(orgId, i.id);
        toast.success('Contact sync started', 'Contacts appear on the Contacts page as they arrive.');
      },
      'Could not start the contact sync',
    );

  const rotate = () =>
    run(
      'rotate',
      async () => {
        const next = await rotateIntegration(orgId, i.id);
        onChanged(next);
        toast.success('Credentials re-sealed', `Key id: ${next.keyId}`);
      },
      'Could not re-seal the credentials',
    );

  const disconnect = async () => {
    await disconnectIntegration(orgId, i.id);
    onRemoved(i.id);
    toast.success(`Disconnected ${label}`);
  };

  return (
    <article className={`panel integration-card integration-${i.status}`} data-testid={`integration-${i.locationId}`} aria-label={label}>
      <header className="integration-head">
        <div>
          <h2>{label}</h2>
          <p className="muted integration-sub">
            GoHighLevel location <code>{i.locationId}</code> · {authTypeLabel(i.authType)}
          </p>
        </div>
        <IntegrationStatusBadge status={i.status} />
      </header>

      {i.status === 'broken' && (
        <div className="banner banner-error integration-broken" role="alert" data-testid="integration-broken">
          <strong>This connection is broken{i.statusDetail ? `: ${i.statusDetail}` : '.'}</strong>
          <p>
            Flows that use this location fail until it is reconnected. Reconnect it:{' '}
            {i.authType === 'oauth'
              ? 'disconnect it, then use Connect with OAuth again and pick this location.'
              : 'create a new Private Integration Token in GHL (Settings → Private Integrations), disconnect this location, then connect it again with the new token.'}{' '}
            Then run Test connection.
          </p>
        </div>
      )}
      {i.status === 'disconnected' && (
        <p className="banner integration-disconnected-note">
          Disconnected{i.statusDetail ? `: ${i.statusDetail}` : ''}. Connect the location again to use it.
        </p>
      )}

      <dl className="facts integration-facts">
        <dt>Last tested</dt>
        <dd>{i.lastTestedAt ? <time dateTime={i.lastTestedAt}>{formatTime(i.lastTestedAt)}</time> : 'Never'}</dd>
        {i.authType === 'oauth' && (
          <>
            <dt>Access token expires</dt>
            <dd>{i.accessExpiresAt ? <time dateTime={i.accessExpiresAt}>{formatTime(i.accessExpiresAt)}</time> : '—'}</dd>
          </>
        )}
        <dt>Encryption key id</dt>
        <dd>
          <code data-testid="integration-key-id">{i.keyId}</code>
        </dd>
        <dt>Connected</dt>
        <dd>
          <time dateTime={i.createdAt}>{formatTime(i.createdAt)}</time>
        </dd>
      </dl>

      {tested && (
        <p className={`test-result ${tested.ok ? 'test-ok' : 'test-failed'}`} role="status" data-testid="test-result">
          {tested.ok
            ? `Connection works${tested.location ? `: location “${tested.location.name}” (${tested.location.id})` : ''}.`
            : `Connection failed${tested.integration.statusDetail ? `: ${tested.integration.statusDetail}` : ''}.`}
        </p>
      )}

      {i.workflowWebhookPath && <WebhookUrl path={i.workflowWebhookPath} />}

      <div className="integration-actions">
        {canUpdate && (
          <button type="button" disabled={busy !== undefined} onClick={() => void test()}>
            {busy === 'test' ? 'Testing…' : 'Test connection'}
          </button>
        )}
        {canSync && connected && (
          <button type="button" disabled={busy !== undefined} onClick={() => void sync()}>
            {busy === 'sync' ? 'Starting sync…' : 'Sync contacts now'}
          </button>
        )}
        {canImport && connected && (
          <button type="button" disabled={busy !== undefined} onClick={() => setImporting(true)}>
            Import team
          </button>
        )}
        {canUpdate && (
          <button type="button" disabled={busy !== undefined} onClick={() => void rotate()} title="Encrypt the stored credentials again with the server’s current key">
            {busy === 'rotate' ? 'Re-sealing…' : 'Re-seal credentials'}
          </button>
        )}
        {canDelete && (
          <ConfirmButton
            className="btn-danger-outline"
            title={`Disconnect ${label}`}
            message={
              <p>
                Flowline deletes the stored credentials for location <code>{i.locationId}</code>. Flows that use it stop working, and GHL workflow
                webhooks to its URL are refused. Synced contacts stay; see them under <Link to={`/orgs/${encodeURIComponent(orgId)}/contacts`}>Contacts</Link>.
              </p>
            }
            confirmLabel="Disconnect"
            onConfirm={disconnect}
          >
            Disconnect
          </ConfirmButton>
        )}
      </div>

      {importing && <TeamImportDialog orgId={orgId} integration={i} onClose={() => setImporting(false)} />}
    </article>
  );
}

function WebhookUrl({ path }: { path: string }) {
  const url = webhookUrl(path);
  const id = useId();
  return (
    <div className="field integration-webhook">
      <label htmlFor={id}>Workflow webhook URL</label>
      <div className="copy-row">
        <input id={id} readOnly value={url} aria-describedby={`${id}-hint`} onFocus={(e) => e.target.select()} data-testid="workflow-webhook-url" />
        <CopyButton text={url} label="Copy webhook URL" />
      </div>
      <p id={`${id}-hint`} className="field-hint">
        Paste it into a GHL workflow’s “Webhook” action to start Flowline flows from that workflow. Keep it private: it works without signing in.
      </p>
    </div>
  );
}
