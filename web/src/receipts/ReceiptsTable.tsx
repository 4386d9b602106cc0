import type { Receipt } from '../api/receipts';
import { formatMinor } from '../commissions/money';
import { formatTime } from '../executions/format';
import { Link } from '../router';
import { receiptPath } from './paths';
import { ReceiptStatusBadge } from './ReceiptStatusBadge';
import { ReceiptThumbnail } from './ReceiptThumbnail';

interface Props {
  orgId: string;
  items: readonly Receipt[];
  label: string;
  /** The queue lists receipts of many contacts: it names them. */
  showContact?: boolean;
}

const totalOf = (r: Receipt) => (r.extracted?.totalMinor != null && r.extracted.currency ? formatMinor(r.extracted.totalMinor, r.extracted.currency) : '—');

/** Receipts with their picture, status and total, each opening the receipt page. */
export function ReceiptsTable({ orgId, items, label, showContact = false }: Props) {
  return (
    <table className="table receipts-table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Receipt</th>
          <th scope="col">Status</th>
          {showContact && <th scope="col">Contact</th>}
          <th scope="col">Vendor</th>
          <th scope="col" className="receipt-num">
            Total
          </th>
          <th scope="col">Uploaded</th>
        </tr>
      </thead>
      <tbody>
        {items.map((r) => (
          <tr key={r.id} data-testid={`receipt-${r.id}`}>
            <td>
              <Link to={receiptPath(orgId, r.id)} className="receipt-link">
                <ReceiptThumbnail orgId={orgId} receipt={r} />
                <span>{r.fileName}</span>
              </Link>
            </td>
            <td>
              <ReceiptStatusBadge status={r.status} />
            </td>
            {showContact && <td>{r.contactName ?? '—'}</td>}
            <td>{r.extracted?.vendor ?? '—'}</td>
            <td className="receipt-num">{totalOf(r)}</td>
            <td>
              <time dateTime={r.createdAt}>{formatTime(r.createdAt)}</time>
              {r.uploadedByName && <div className="muted receipt-small">by {r.uploadedByName}</div>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
