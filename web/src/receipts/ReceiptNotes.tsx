import { useState } from 'react';
import { retryReceipt, type Receipt } from '../api/receipts';
import { ErrorAlert } from '../components/Notices';
import { formatTime } from '../executions/format';

interface Props {
  orgId: string;
  receipt: Receipt;
  canUpdate: boolean;
  onChanged: (receipt: Receipt) => void;
}

/** What the reading said about itself: why it failed (and a retry), why it needs a person, the model's raw answer. */
export function ReceiptNotes({ orgId, receipt: r, canUpdate, onChanged }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const retry = async () => {
    setBusy(true);
    setError(undefined);
    try {
      onChanged(await retryReceipt(orgId, r.id));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {(r.status === 'uploaded' || r.status === 'processing') && (
        <p className="receipt-reading" role="status" aria-busy="true" data-testid="receipt-reading">
          Reading the receipt… the fields appear here in a few seconds.
        </p>
      )}
      {r.status === 'failed' && (
        <div className="banner banner-error" role="alert" data-testid="receipt-failure">
          <p className="receipt-failure">The receipt could not be read: {r.failureReason ?? 'no reason was given'}.</p>
          {canUpdate && (
            <button type="button" onClick={() => void retry()} disabled={busy}>
              Retry
            </button>
          )}
        </div>
      )}
      <ErrorAlert message={error} />
      {r.status === 'needs_review' && r.reviewReasons.length > 0 && (
        <div className="receipt-notice" data-testid="review-reasons">
          <p className="receipt-notice-title">Why it needs a review</p>
          <ul>
            {r.reviewReasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </div>
      )}
      {r.status === 'rejected' && (
        <p className="receipt-notice" data-testid="receipt-rejected">
          Rejected{r.reviewedByName ? ` by ${r.reviewedByName}` : ''}
          {r.reviewedAt ? ` on ${formatTime(r.reviewedAt)}` : ''}: {r.rejectReason ?? 'no reason given'}.
        </p>
      )}
      {r.rawAnswer && (
        <details className="receipt-raw">
          <summary>The model’s answer, as it came</summary>
          <pre data-testid="receipt-raw-answer">{r.rawAnswer}</pre>
        </details>
      )}
    </>
  );
}
