import type { Payout } from '../api/commissions';
import { Link } from '../router';
import { MoneyStatus } from './labels';
import { formatMinor } from './money';

/** Payouts with their period, total and status; `href` opens one (under Payouts or My earnings). */
export function PayoutsTable({ items, href, hideMember }: { items: Payout[]; href: (p: Payout) => string; hideMember?: boolean }) {
  return (
    <table className="table payouts-table" aria-label="Payouts">
      <thead>
        <tr>
          <th scope="col">Period</th>
          {!hideMember && <th scope="col">Team member</th>}
          <th scope="col" className="num">
            Items
          </th>
          <th scope="col" className="num">
            Total
          </th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {items.map((p) => (
          <tr key={p.id} data-testid={`payout-${p.id}`}>
            <td>
              <Link to={href(p)}>{periodLabel(p)}</Link>
            </td>
            {!hideMember && <td>{p.teamMemberName}</td>}
            <td className="num">{p.itemCount}</td>
            <td className="num">{formatMinor(p.totalMinor, p.currency)}</td>
            <td>
              <MoneyStatus status={p.status} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "2026-03-01 – 2026-03-31": periods are calendar dates in the organization's time zone. */
export function periodLabel(p: Pick<Payout, 'periodStart' | 'periodEnd'>): string {
  return `${p.periodStart} – ${p.periodEnd}`;
}
