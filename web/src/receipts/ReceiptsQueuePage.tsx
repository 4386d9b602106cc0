import { listReceipts } from '../api/receipts';
import type { Membership } from '../api/types';
import { EmptyState } from '../components/EmptyState';
import { LoadMore } from '../components/LoadMore';
import { ErrorAlert, Loading } from '../components/Notices';
import { usePaged } from '../use-paged';
import { useTitle } from '../use-title';
import { ReceiptsTable } from './ReceiptsTable';
import './receipts.css';

/** `/orgs/:orgId/receipts`: receipts waiting for a person to check them, newest first. */
export function ReceiptsQueuePage({ orgId }: { orgId: string; membership: Membership }) {
  useTitle('Receipts');
  const list = usePaged((cursor, signal) => listReceipts(orgId, { status: 'needs_review', cursor, limit: 50 }, signal), [orgId]);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Receipts</h1>
          <p className="muted">Receipts whose reading needs a person: check the fields against the picture, then confirm or reject. Upload receipts from a contact’s page.</p>
        </div>
        <button type="button" onClick={list.reload}>
          Refresh
        </button>
      </div>
      <ErrorAlert message={list.error?.message} />
      {list.items.length === 0 ? (
        list.loading ? <Loading what="receipts" /> : <EmptyState title="Nothing to review">Every receipt read so far has been confirmed or rejected.</EmptyState>
      ) : (
        <ReceiptsTable orgId={orgId} items={list.items} label="Receipts to review" showContact />
      )}
      <LoadMore list={list} />
    </>
  );
}
