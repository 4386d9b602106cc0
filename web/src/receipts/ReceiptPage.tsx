import { deleteReceipt, getReceipt, type Receipt } from '../api/receipts';
import type { Membership } from '../api/types';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorAlert, Loading } from '../components/Notices';
import { useToast } from '../components/Toasts';
import { contactPath } from '../contacts/format';
import { formatTime } from '../executions/format';
import { may } from '../permissions';
import { Link, navigate } from '../router';
import { useLoad } from '../use-load';
import { useTitle } from '../use-title';
import { ExtractedFacts } from './ExtractedFacts';
import { isPending } from './labels';
import { LinkedSale } from './LinkedSale';
import { receiptsPath } from './paths';
import { ReceiptNotes } from './ReceiptNotes';
import { ReceiptPreview } from './ReceiptPreview';
import { ReceiptStatusBadge } from './ReceiptStatusBadge';
import { ReviewForm } from './ReviewForm';
import { usePoll } from './use-poll';
import './receipts.css';

interface Props {
  orgId: string;
  membership: Membership;
  receiptId: string;
}

/** `/orgs/:orgId/receipts/:receiptId`: a receipt beside what was read from it, to review. */
export function ReceiptPage({ orgId, membership, receiptId }: Props) {
  const toast = useToast();
  const receipt = useLoad((signal) => getReceipt(orgId, receiptId, signal), [orgId, receiptId]);
  const r = receipt.data;
  useTitle(r ? `Receipt ${r.extracted?.vendor ?? r.fileName}` : 'Receipt');
  // The reading runs in the background: follow it until it settles.
  usePoll(r !== undefined && isPending(r.status), async (signal) => receipt.setData(await getReceipt(orgId, receiptId, signal)));
  const canUpdate = may(membership, 'receipts', 'update');
  const canDelete = may(membership, 'receipts', 'delete');

  const done = (next: Receipt) => {
    receipt.setData(next);
    if (next.status === 'confirmed') toast.success('Receipt confirmed', next.sale ? 'The opportunity’s sale carries its total.' : undefined);
    else if (next.status === 'rejected') toast.success('Receipt rejected', next.rejectReason ?? undefined);
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to={receiptsPath(orgId)}>← Receipts</Link>
        {r?.contactId && (
          <>
            {' · '}
            <Link to={contactPath(orgId, r.contactId)}>{r.contactName ?? 'Contact'}</Link>
          </>
        )}
      </p>
      {!r ? (
        receipt.error ? <ErrorAlert message={receipt.error.message} /> : <Loading what="the receipt" />
      ) : (
        <>
          <h1>
            Receipt {r.extracted?.vendor ?? r.fileName} <ReceiptStatusBadge status={r.status} />
          </h1>
          <p className="muted">
            {r.fileName} · uploaded <time dateTime={r.createdAt}>{formatTime(r.createdAt)}</time>
            {r.uploadedByName ? ` by ${r.uploadedByName}` : ''} · opportunity <code>{r.opportunityId}</code>
            {r.temporalUrl && (
              <>
                {' · '}
                <a href={r.temporalUrl} target="_blank" rel="noopener noreferrer">
                  Workflow in Temporal
                </a>
              </>
            )}
          </p>
          <LinkedSale orgId={orgId} receipt={r} />
          <div className="receipt-layout">
            <div className="panel receipt-layout-file">
              <ReceiptPreview orgId={orgId} receipt={r} />
            </div>
            <section className="panel receipt-layout-fields" aria-labelledby="receipt-fields">
              <h2 id="receipt-fields">{r.status === 'needs_review' && canUpdate ? 'Check and confirm' : 'What was read'}</h2>
              <ReceiptNotes orgId={orgId} receipt={r} canUpdate={canUpdate} onChanged={receipt.setData} />
              {r.status === 'needs_review' && canUpdate ? (
                <ReviewForm key={r.updatedAt} orgId={orgId} receipt={r} onDone={done} />
              ) : (
                !isPending(r.status) && <ExtractedFacts receipt={r} />
              )}
              {r.status === 'needs_review' && !canUpdate && <p className="muted">A manager checks and confirms it.</p>}
            </section>
          </div>
          {canDelete && (
            <div className="actions">
              <ConfirmButton
                title="Delete receipt"
                message={<p>“{r.fileName}” leaves every list and its review ends. {r.saleId ? 'Its sale stays as it is.' : ''}</p>}
                confirmLabel="Delete"
                className="btn-danger-outline"
                onConfirm={async () => {
                  await deleteReceipt(orgId, r.id);
                  toast.success('Receipt deleted', r.fileName);
                  navigate(r.contactId ? contactPath(orgId, r.contactId) : receiptsPath(orgId));
                }}
              >
                Delete receipt
              </ConfirmButton>
            </div>
          )}
        </>
      )}
    </>
  );
}
