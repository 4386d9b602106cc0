import { type DeletedWorkflow, listDeletedWorkflows, restoreWorkflow } from '../api/flows';
import { EmptyState } from '../components/EmptyState';
import { ErrorAlert, Loading } from '../components/Notices';
import { useToast } from '../components/Toasts';
import { RestoreCell, restorableFor, when } from '../components/trash';
import { usePaged } from '../use-paged';
import { statusText } from './labels';

const PAGE_SIZE = 25;

/** The workflow trash: what was deleted, when, until when it can come back, and the way back. */
export function DeletedWorkflows({ orgId, search, canRestore, retentionDays }: { orgId: string; search: string; canRestore: boolean; retentionDays: number | undefined }) {
  const toast = useToast();
  const list = usePaged((cursor, signal) => listDeletedWorkflows(orgId, { q: search, cursor, limit: PAGE_SIZE }, signal), [orgId, search]);

  const restore = async (w: DeletedWorkflow) => {
    try {
      await restoreWorkflow(orgId, w.id);
      toast.success('Workflow restored', w.status === 'published' ? `${w.name} runs again from its triggers.` : w.name);
      list.reload();
    } catch (err) {
      toast.error(err, `Could not restore ${w.name}`);
    }
  };

  if (list.items.length === 0) {
    if (list.loading) return <Loading what="deleted workflows" />;
    return (
      <>
        <ErrorAlert message={list.error?.message} />
        <EmptyState title={search ? `No deleted workflow matches “${search}”.` : 'No deleted workflows.'}>{restorableFor(retentionDays, 'A deleted workflow')}</EmptyState>
      </>
    );
  }
  return (
    <>
      <ErrorAlert message={list.error?.message} />
      <p className="muted">{restorableFor(retentionDays, 'A deleted workflow')} Restored, it runs from its triggers again as it was.</p>
      <table className="table workflows-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Deleted at</th>
            <th scope="col">Restorable until</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((w) => (
            <tr key={w.id} data-testid={`deleted-workflow-${w.name}`}>
              <td>{w.name}</td>
              <td>{statusText(w)}</td>
              <td>{when(w.deletedAt)}</td>
              <td>{w.restorableUntil ? when(w.restorableUntil) : '—'}</td>
              <td>
                <RestoreCell name={w.name} restorableUntil={w.restorableUntil} canRestore={canRestore} onRestore={() => void restore(w)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.nextCursor && (
        <button type="button" onClick={list.loadMore} disabled={list.loading}>
          Load more
        </button>
      )}
    </>
  );
}
