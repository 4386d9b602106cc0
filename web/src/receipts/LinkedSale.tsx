import type { Receipt } from '../api/receipts';
import { formatMinor } from '../commissions/money';
import { salePath } from '../commissions/paths';
import { Link } from '../router';

/** The sale a confirmed receipt created or updated, with the way to it. */
export function LinkedSale({ orgId, receipt: r }: { orgId: string; receipt: Receipt }) {
  if (r.status !== 'confirmed') return null;
  return (
    <section className="panel" aria-labelledby="receipt-sale" data-testid="receipt-sale">
      <h2 id="receipt-sale">Sale</h2>
      {r.sale ? (
        <p>
          Linked to the sale{' '}
          <Link to={salePath(orgId, r.sale.id)}>
            {formatMinor(r.sale.amountMinor, r.sale.currency)}
          </Link>{' '}
          <span className="muted">({r.sale.status})</span>
          {r.autoConfirmed ? (
            <span className="muted"> · confirmed automatically: every field was read with confidence</span>
          ) : (
            r.reviewedByName && <span className="muted"> · confirmed by {r.reviewedByName}</span>
          )}
        </p>
      ) : r.saleId ? (
        <p className="muted">Linked to a sale your role does not show.</p>
      ) : (
        <p className="muted">Confirmed without a sale.</p>
      )}
    </section>
  );
}
