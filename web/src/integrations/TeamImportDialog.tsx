import { useState } from 'react';
import { type Integration, previewTeamImport, runTeamImport, type TeamImportItem } from '../api/integrations';
import { Dialog } from '../components/Dialog';
import { ErrorAlert, Loading } from '../components/Notices';
import { useToast } from '../components/Toasts';
import { useLoad } from '../use-load';
import { integrationLabel } from './labels';

const FIELD_LABELS: Record<string, string> = { fullName: 'Name', name: 'Name', email: 'Email', externalId: 'GHL user id', phone: 'Phone' };

/** The location's users against the team: who would be added, what would change; importing applies exactly that. */
export function TeamImportDialog({ orgId, integration, onClose }: { orgId: string; integration: Integration; onClose: () => void }) {
  return (
    <Dialog open title={`Import team from ${integrationLabel(integration)}`} onClose={onClose}>
      <TeamImportBody orgId={orgId} integration={integration} onClose={onClose} />
    </Dialog>
  );
}

function TeamImportBody({ orgId, integration, onClose }: { orgId: string; integration: Integration; onClose: () => void }) {
  const toast = useToast();
  const preview = useLoad((signal) => previewTeamImport(orgId, integration.id, signal), [orgId, integration.id]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const items = preview.data?.items ?? [];
  const created = items.filter((u) => u.action === 'create');
  const updated = items.filter((u) => u.action === 'update');
  const unchanged = items.length - created.length - updated.length;
  const changes = created.length + updated.length;

  const importNow = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await runTeamImport(orgId, integration.id);
      toast.success('Team imported', `${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged.`);
      onClose();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };

  return (
    <div className="team-import" data-testid="team-import">
      <div className="dialog-body">
        {!preview.data ? (
          preview.error ? <ErrorAlert message={preview.error.message} /> : <Loading what="the location’s users" />
        ) : items.length === 0 ? (
          <p className="muted">This location has no users.</p>
        ) : (
          <>
            <p className="muted">Users of the GHL location, matched to the team by GHL user id, then by email. Nothing changes until you import.</p>
            {created.length > 0 && (
              <section aria-label="New team members">
                <h3>New ({created.length})</h3>
                <ul className="import-list">
                  {created.map((u) => (
                    <li key={u.ghlUserId} data-testid={`import-create-${u.ghlUserId}`}>
                      <strong>{u.name}</strong> {u.email && <span className="muted">{u.email}</span>}
                    </li>
                  ))}
                </ul>
              </section>
            )}
            {updated.length > 0 && (
              <section aria-label="Changed team members">
                <h3>Changed ({updated.length})</h3>
                <ul className="import-list">
                  {updated.map((u) => (
                    <ChangedUser key={u.ghlUserId} user={u} />
                  ))}
                </ul>
              </section>
            )}
            <p className="muted" data-testid="import-unchanged">
              {unchanged === 0 ? 'No one is unchanged.' : `${unchanged} unchanged.`}
            </p>
          </>
        )}
      </div>
      <ErrorAlert message={error} />
      <div className="actions">
        <button type="button" onClick={onClose}>
          {changes === 0 ? 'Close' : 'Cancel'}
        </button>
        {preview.data && (
          <button type="button" className="btn-primary" disabled={busy || changes === 0} onClick={() => void importNow()}>
            {busy ? 'Importing…' : changes === 0 ? 'Nothing to import' : `Import ${changes} change${changes === 1 ? '' : 's'}`}
          </button>
        )}
      </div>
    </div>
  );
}

function ChangedUser({ user: u }: { user: TeamImportItem }) {
  return (
    <li data-testid={`import-update-${u.ghlUserId}`}>
      <strong>{u.name}</strong> {u.email && <span className="muted">{u.email}</span>}
      <ul className="import-changes">
        {u.changes.map((c) => (
          <li key={c.field}>
            {FIELD_LABELS[c.field] ?? c.field}: <del>{show(c.from)}</del> → <ins>{show(c.to)}</ins>
          </li>
        ))}
      </ul>
    </li>
  );
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
