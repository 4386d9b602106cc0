import { type DeletedBot, listDeletedBots, restoreBot } from '../api/bots';
import { ApiError } from '../api/problem';
import { EmptyState } from '../components/EmptyState';
import { ErrorAlert, Loading } from '../components/Notices';
import { useToast } from '../components/Toasts';
import { RestoreCell, restorableFor, when } from '../components/trash';
import { useLoad } from '../use-load';

/** The bot trash: what was deleted, when, until when it can come back (switched off), and the way back. */
export function DeletedBots({ orgId, canRestore, retentionDays }: { orgId: string; canRestore: boolean; retentionDays: number | undefined }) {
  const toast = useToast();
  const bots = useLoad((signal) => listDeletedBots(orgId, signal), [orgId]);
  const items = bots.data?.items ?? [];

  const restore = async (b: DeletedBot) => {
    try {
      await restoreBot(orgId, b.id);
      toast.success('Bot restored', `${b.name} is off until you turn it on.`);
      bots.reload();
    } catch (err) {
      // Another bot took the name meanwhile: say what to do about it.
      const nameTaken = err instanceof ApiError && err.status === 409 && 'name' in err.fieldErrors();
      toast.error(err, nameTaken ? `Another bot is called ${b.name} now: rename it, then restore this one` : `Could not restore ${b.name}`);
    }
  };

  if (!bots.data) return bots.loading ? <Loading what="deleted bots" /> : <ErrorAlert message={bots.error?.message} />;
  if (items.length === 0) return <EmptyState title="No deleted bots">{restorableFor(retentionDays, 'A deleted bot')}</EmptyState>;
  return (
    <>
      <ErrorAlert message={bots.error?.message} />
      <p className="muted">{restorableFor(retentionDays, 'A deleted bot')} It comes back switched off.</p>
      <table className="table bots-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Deleted at</th>
            <th scope="col">Restorable until</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {items.map((b) => (
            <tr key={b.id} data-testid={`deleted-bot-${b.id}`}>
              <td>{b.name}</td>
              <td>{when(b.deletedAt)}</td>
              <td>{b.restorableUntil ? when(b.restorableUntil) : '—'}</td>
              <td>
                <RestoreCell name={b.name} restorableUntil={b.restorableUntil} canRestore={canRestore} onRestore={() => void restore(b)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
