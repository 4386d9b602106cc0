import type { ReceiptStatus } from '../api/receipts';
import { STATUS_LABELS } from './labels';
import './receipts.css';

/** A receipt's status as a pill with its words (colour is never the only cue). */
export function ReceiptStatusBadge({ status }: { status: ReceiptStatus }) {
  return (
    <span className={`receipt-status receipt-status-${status}`} data-status={status} data-testid="receipt-status">
      {STATUS_LABELS[status]}
    </span>
  );
}
