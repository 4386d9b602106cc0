import { useState } from 'react';
import { listSales, type Sale, type SaleStatus } from '../api/commissions';
import { EmptyState } from '../components/EmptyState';
import { ErrorAlert, Loading } from '../components/Notices';
import { useToast } from '../components/Toasts';
import { formatTime } from '../executions/format';
import type { OrgPageProps } from '../org/OrgLayout';
import { may } from '../permissions';
import { Link, navigate } from '../router';
import { usePaged } from '../use-paged';
import { MoneyStatus, SALE_SOURCES, SALE_STATUSES } from './labels';
import { formatMinor } from './money';
import { NewSaleForm } from './NewSaleForm';
import { salePath } from './paths';
import { TeamOptions, useTeam } from './use-team';
import './commissions.css';
import { LoadMore } from '../components/LoadMore';

const PAGE_SIZE = 50;

/** `/orgs/:orgId/sales`: payments from GoHighLevel and recorded by hand, each the source of commissions. */
export function SalesPage({ orgId, membership }: OrgPageProps) {
  const toast = useToast();
  const team = useTeam(orgId, membership);
  const [teamMemberId, setTeamMemberId] = useState('');
  const [status, setStatus] = useState<SaleStatus | ''>('');
  const [unattributed, setUnattributed] = useState(false);
  const [creating, setCreating] = useState(false);
  const list = usePaged(
    (cursor, signal) =>
      listSales(orgId, { teamMemberId: unattributed ? undefined : teamMemberId || undefined, status: status || undefined, unattributed, cursor, limit: PAGE_SIZE }, signal),
    [orgId, teamMemberId, status, unattributed],
  );
  const canCreate = may(membership, 'sales', 'create');
  const filtered = Boolean(teamMemberId || status || unattributed);

  const created = (sale: Sale) => {
    toast.success('Sale recorded', `${formatMinor(sale.amountMinor, sale.currency)}: its commission is being calculated.`);
    navigate(salePath(orgId, sale.id));
  };

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Sales</h1>
          <p className="muted">Payments that earn commissions: from GoHighLevel invoices, orders and workflows, or recorded here.</p>
        </div>
        {canCreate && !creating && (
          <button type="button" className="btn-primary" onClick={() => setCreating(true)}>
            Record a sale
          </button>
        )}
      </div>
      {creating && <NewSaleForm orgId={orgId} team={team} defaultCurrency="USD" onCreated={created} onCancel={() => setCreating(false)} />}
      <section className="panel" aria-label="Sales">
        <form className="form form-inline" role="search" aria-label="Filter sales" onSubmit={(e) => e.preventDefault()}>
          {team.members.length > 0 && (
            <div className="field">
              <label htmlFor="sales-member">Team member</label>
              <select id="sales-member" value={teamMemberId} disabled={unattributed} onChange={(e) => setTeamMemberId(e.target.value)}>
                <option value="">Everyone</option>
                <TeamOptions team={team} />
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor="sales-status">Status</label>
            <select id="sales-status" value={status} onChange={(e) => setStatus(e.target.value as SaleStatus | '')}>
              <option value="">Any status</option>
              {Object.entries(SALE_STATUSES).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <label className="money-checkbox filter-checkbox">
            <input type="checkbox" checked={unattributed} onChange={(e) => setUnattributed(e.target.checked)} />
            Unattributed only
          </label>
        </form>
        <ErrorAlert message={list.error?.message} />
        {list.items.length === 0 ? (
          list.loading ? (
            <Loading what="sales" />
          ) : (
            <EmptyState title={filtered ? 'No sales match these filters' : 'No sales yet'}>
              {filtered ? 'Try other filters.' : 'Paid GoHighLevel invoices and orders appear here, and so do sales recorded by hand.'}
            </EmptyState>
          )
        ) : (
          <SalesTable orgId={orgId} items={list.items} />
        )}
        <LoadMore list={list} />
      </section>
    </>
  );
}

function SalesTable({ orgId, items }: { orgId: string; items: Sale[] }) {
  return (
    <table className="table sales-table">
      <thead>
        <tr>
          <th scope="col">Paid</th>
          <th scope="col" className="num">
            Amount
          </th>
          <th scope="col">Team member</th>
          <th scope="col">Contact</th>
          <th scope="col">Source</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {items.map((s) => (
          <tr key={s.id} data-testid={`sale-${s.id}`}>
            <td>
              <Link to={salePath(orgId, s.id)}>
                <time dateTime={s.paidAt}>{formatTime(s.paidAt)}</time>
              </Link>
            </td>
            <td className="num">
              {formatMinor(s.amountMinor, s.currency)}
              {s.refundedMinor > 0 && <div className="muted small">−{formatMinor(s.refundedMinor, s.currency)} refunded</div>}
            </td>
            <td>{s.teamMemberName ?? <span className="tag tag-warning">Unattributed</span>}</td>
            <td>{s.contactName ?? '—'}</td>
            <td>
              {SALE_SOURCES[s.source] ?? s.source}
              {s.externalId && <div className="muted small">{s.externalId}</div>}
            </td>
            <td>
              <MoneyStatus status={s.status} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
