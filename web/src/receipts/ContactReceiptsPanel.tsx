import { listReceipts, type Uploaded } from '../api/receipts';
import type { Membership } from '../api/types';
import { EmptyState } from '../components/EmptyState';
import { ErrorAlert, Loading } from '../components/Notices';
import { may } from '../permissions';
import { useLoad } from '../use-load';
import { isPending } from './labels';
import { ReceiptsTable } from './ReceiptsTable';
import { ReceiptUploadForm } from './ReceiptUploadForm';
import { usePoll } from './use-poll';
import './receipts.css';

/** A contact has a handful of receipts; the review queue pages through the organization's. */
const CONTACT_LIMIT = 100;

interface Props {
  orgId: string;
  membership: Membership;
  contactId: string;
}

/** The contact's receipts section: upload one for an opportunity, and the ones uploaded so far. */
export function ContactReceiptsPanel({ orgId, membership, contactId }: Props) {
  const load = (signal: AbortSignal) => listReceipts(orgId, { contactId, limit: CONTACT_LIMIT }, signal);
  const list = useLoad(load, [orgId, contactId]);
  const canUpload = may(membership, 'receipts', 'create');
  // Statuses move on in the background while a receipt is read.
  usePoll(Boolean(list.data?.items.some((r) => isPending(r.status))), async (signal) => list.setData(await load(signal)), 2000);

  const uploaded = (u: Uploaded) => {
    if (!u.duplicate) list.reload();
  };

  return (
    <section className="panel" aria-labelledby="contact-receipts" data-testid="contact-receipts">
      <h2 id="contact-receipts">Receipts</h2>
      {canUpload && <ReceiptUploadForm orgId={orgId} contactId={contactId} onUploaded={uploaded} />}
      <ErrorAlert message={list.error?.message} />
      {!list.data ? (
        list.loading && <Loading what="receipts" />
      ) : list.data.items.length === 0 ? (
        <EmptyState title="No receipts yet">{canUpload ? 'Upload a photo or PDF of a receipt: its vendor, date and amounts are read for you to check.' : 'Nobody has uploaded a receipt for this contact.'}</EmptyState>
      ) : (
        <>
          <ReceiptsTable orgId={orgId} items={list.data.items} label="Receipts of this contact" />
          {list.data.nextCursor && <p className="muted">Showing the newest {list.data.items.length}.</p>}
        </>
      )}
    </section>
  );
}
