import { type FormEvent, useEffect, useState } from 'react';
import { createWorkflow, deleteWorkflow, duplicateWorkflow, listWorkflows, type WorkflowSummary } from '../api/flows';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorAlert, Loading } from '../components/Notices';
import { restorableFor, TrashTabs, type TrashView, useTrashRetentionDays } from '../components/trash';
import type { OrgPageProps } from '../org/OrgLayout';
import { may } from '../permissions';
import { Link, navigate } from '../router';
import { usePaged } from '../use-paged';
import { DeletedWorkflows } from './DeletedWorkflows';
import { statusText } from './labels';
import './workflows.css';

const PAGE_SIZE = 25;
const SEARCH_DELAY_MS = 300;

// The published version's trigger node type (kept out of the registry import: this page loads before the builder).
const TRIGGER_LABELS: Record<string, string> = { 'trigger.webhook': 'Webhook', 'trigger.manual': 'Manual', 'trigger.schedule': 'Schedule', 'trigger.event': 'Event' };

/** Success rate of the last 7 days, over runs that finished either way. */
export function successRate(stats: WorkflowSummary['stats7d'] | undefined): string {
  const finished = (stats?.succeeded ?? 0) + (stats?.failed ?? 0);
  if (!stats || finished === 0) return '—';
  return `${Math.round((stats.succeeded / finished) * 100)}%`;
}

const when = (iso: string) => new Date(iso).toLocaleString();

export function WorkflowsPage({ orgId, membership }: OrgPageProps) {
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [view, setView] = useState<TrashView>('active');
  const retentionDays = useTrashRetentionDays(orgId);
  useEffect(() => {
    const timer = setTimeout(() => setSearch(q.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [q]);
  const list = usePaged((cursor, signal) => listWorkflows(orgId, { q: search, cursor, limit: PAGE_SIZE }, signal), [orgId, search, view]);
  const canCreate = may(membership, 'workflows', 'create');
  const canDelete = may(membership, 'workflows', 'delete');
  const open = (id: string) => navigate(`/orgs/${orgId}/workflows/${id}`);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      const w = await createWorkflow(orgId, { name: name.trim() });
      open(w.id);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const duplicate = async (w: WorkflowSummary) => {
    setError(undefined);
    try {
      const copy = await duplicateWorkflow(orgId, w.id);
      open(copy.id);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Workflows</h1>
          <p className="muted">Automations built on the canvas: triggers, steps, approvals and AI.</p>
        </div>
        {canCreate && !creating && (
          <button type="button" className="btn-primary" onClick={() => setCreating(true)}>
            New workflow
          </button>
        )}
      </div>
      {creating && (
        <form className="panel new-workflow" onSubmit={(e) => void create(e)}>
          <label className="field">
            <span>Workflow name</span>
            <input autoFocus required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} placeholder="New lead follow-up" />
          </label>
          <div className="row-actions">
            <button type="submit" className="btn-primary" disabled={!name.trim()}>
              Create and open
            </button>
            <button type="button" onClick={() => setCreating(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <ErrorAlert message={error} />
      <section className="panel" aria-label="Workflows">
        <TrashTabs label="Workflows to show" view={view} onChange={setView} />
        <div className="field field-search">
          <label htmlFor="workflow-search">Search</label>
          <input id="workflow-search" type="search" placeholder="Workflow name" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        {view === 'deleted' ? (
          <DeletedWorkflows orgId={orgId} search={search} canRestore={canDelete} retentionDays={retentionDays} />
        ) : (
          <>
            <ErrorAlert message={list.error?.message} />
            {list.items.length === 0 ? (
              list.loading ? (
                <Loading what="workflows" />
              ) : (
                <div className="empty-state">
                  <p>{search ? `No workflow matches “${search}”.` : 'No workflows yet.'}</p>
                  {!search && canCreate && <p className="muted">Create one, drag a trigger onto the canvas, connect a few steps and publish.</p>}
                </div>
              )
            ) : (
              <table className="table workflows-table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Status</th>
                    <th scope="col">Trigger</th>
                    <th scope="col">Last run</th>
                    <th scope="col" title="Succeeded runs among finished runs started in the last 7 days">
                      Success (7 days)
                    </th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((w) => (
                    <tr key={w.id} data-testid={`workflow-row-${w.name}`}>
                      <td>
                        <Link to={`/orgs/${orgId}/workflows/${w.id}`}>{w.name}</Link>
                        {w.problems > 0 && <span className="problem-tag"> {w.problems === 1 ? '1 problem' : `${w.problems} problems`}</span>}
                      </td>
                      <td>
                        <span className={`wf-status wf-status-${w.status}`}>{statusText(w)}</span>
                      </td>
                      <td>{w.triggerType ? (TRIGGER_LABELS[w.triggerType] ?? w.triggerType) : '—'}</td>
                      <td>
                        {w.lastRun ? (
                          <>
                            <span className={`run-status status-${w.lastRun.status}`}>{w.lastRun.status}</span> <span className="muted">{when(w.lastRun.at)}</span>
                          </>
                        ) : (
                          <span className="muted">never</span>
                        )}
                      </td>
                      <td title={w.stats7d ? `${w.stats7d.succeeded} succeeded, ${w.stats7d.failed} failed, ${w.stats7d.total} in all` : undefined}>
                        {successRate(w.stats7d)}
                      </td>
                      <td>
                        <div className="row-actions">
                          {canCreate && (
                            <button type="button" aria-label={`Duplicate ${w.name}`} onClick={() => void duplicate(w)}>
                              Duplicate
                            </button>
                          )}
                          {canDelete && (
                            <ConfirmButton
                              label={`Delete ${w.name}`}
                              title="Delete workflow"
                              message={
                                <p>
                                  “{w.name}” stops starting from its triggers (webhook, schedule, events) and moves to Deleted with its versions and execution history.{' '}
                                  {restorableFor(retentionDays)} Runs in progress are not stopped.
                                </p>
                              }
                              confirmLabel="Delete"
                              className="btn-danger-outline"
                              onConfirm={async () => {
                                await deleteWorkflow(orgId, w.id);
                                list.reload();
                              }}
                            >
                              Delete
                            </ConfirmButton>
                          )}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {list.nextCursor && (
              <button type="button" onClick={list.loadMore} disabled={list.loading}>
                Load more
              </button>
            )}
          </>
        )}
      </section>
    </>
  );
}
