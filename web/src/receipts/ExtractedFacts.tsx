import type { Receipt, ReceiptField } from '../api/receipts';
import { formatMinor } from '../commissions/money';
import { FIELD_LABELS, lowConfidenceHint } from './labels';

/** The fields as read or confirmed, for whoever may not (or no longer) edit them. */
export function ExtractedFacts({ receipt }: { receipt: Receipt }) {
  const e = receipt.extracted;
  if (!e) return <p className="muted">Nothing was read from this receipt.</p>;
  const money = (minor: number | null) => (minor !== null && e.currency ? formatMinor(minor, e.currency) : '—');
  const row = (field: ReceiptField, value: string) => {
    const low = receipt.status === 'needs_review' ? lowConfidenceHint(receipt, field) : undefined;
    return (
      <>
        <dt>{FIELD_LABELS[field]}</dt>
        <dd className={low ? 'receipt-low' : undefined}>
          {value}
          {low && <span className="receipt-check"> {low}</span>}
        </dd>
      </>
    );
  };
  return (
    <>
      <dl className="facts" data-testid="receipt-facts">
        {row('vendor', e.vendor ?? '—')}
        {row('date', e.date ?? '—')}
        {row('currency', e.currency ?? '—')}
        {row('total', money(e.totalMinor))}
        {row('tax', money(e.taxMinor))}
        {row('paymentMethod', e.paymentMethod ?? '—')}
        {row('referenceNumber', e.referenceNumber ?? '—')}
      </dl>
      {e.lineItems.length > 0 && (
        <table className="table receipt-lines-table" aria-label="Line items">
          <thead>
            <tr>
              <th scope="col">Description</th>
              <th scope="col">Quantity</th>
              <th scope="col" className="receipt-num">
                Amount
              </th>
            </tr>
          </thead>
          <tbody>
            {e.lineItems.map((l, i) => (
              <tr key={i}>
                <td>{l.description}</td>
                <td>{l.quantity ?? '—'}</td>
                <td className="receipt-num">{money(l.amountMinor)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
