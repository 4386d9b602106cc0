import { getSale, type RefundRecorded, type Sale, type SaleDetail } from '../api/commissions';
import { TemporalUiLink } from '../components/TemporalUiLink';
import type { Membership } from '../api/types';
import { bpsToPercent } from '../commission-rate';
import { ErrorAlert, Loading } from '../components/Notices';
import { useToast } from '../components/Toasts';
import { formatTime } from '../executions/format';
import { may } from '../permissions';
import { Link } from '../router';
import { useLoad } from '../use-load';
import { useTitle } from '../use-title';
import { CalculationsTable } from './CalculationsTable';
import { MoneyStatus, SALE_SOURCES } from './labels';
import { formatMinor, formatTotals, totalsByCurrency } from './money';
import { salesPath } from './paths';
import { AssignForm, CorrectForm, RefundForm } from './SaleForms';
import { type Team, useTeam } from './use-team';
import './commissions.css';

interface Props {
  orgId: string;
  membership: Membership;
  saleId: string;
}

/** `/orgs/:orgId/sales/:saleId`: one sale, the commissions it earned and its refunds. */
export function SaleDetailPage({ orgId, membership, saleId }: Props) {
  const toast = useToast();
  const team = useTeam(orgId, membership);
  const sale = useLoad((signal) => getSale(orgId, saleId, signal), [orgId, saleId]);
  useTitle(sale.data ? `Sale ${formatMinor(sale.data.amountMinor, sale.data.currency)}` : 'Sale');
  const canUpdate = may(membership, 'sales', 'update');

  const assigned = (s: Sale) => {
    toast.success('Team member assigned', `${s.teamMemberName ?? 'The member'} now gets this sale; its commission is being calculated.`);
    sale.reload();
  };
  const corrected = (s: Sale) => {
    toast.success('Sale priced again', `${formatMinor(s.amountMinor, s.currency)}: commissions that change wait for a new decision.`);
    sale.reload();
  };
  const refunded = (r: RefundRecorded) => {
    toast.success('Refund recorded', r.clawbacks.length ? `Clawed back ${formatTotals(totalsByCurrency(r.clawbacks.map((c) => ({ ...c, amountMinor: Math.abs(c.amountMinor) }))))}.` : 'No commission to claw back.');
    sale.reload();
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to={salesPath(orgId)}>← Sales</Link>
      </p>
      {!sale.data ? (
        sale.error ? <ErrorAlert message={sale.error.message} /> : <Loading what="the sale" />
      ) : (
        <>
          <SaleView sale={sale.data} team={team} />
          {sale.data.teamMemberId === null && (
            <section className="panel" aria-labelledby="sale-assign">
              <h2 id="sale-assign">Assign team member</h2>
              <p className="muted">No team member matched this sale, so it earns no commission yet.</p>
              {canUpdate ? <AssignForm orgId={orgId} sale={sale.data} team={team} onAssigned={assigned} /> : <p className="muted">Ask a manager to assign it.</p>}
            </section>
          )}
          <section className="panel" aria-labelledby="sale-calculations">
            <h2 id="sale-calculations">Commissions</h2>
            {sale.data.calculations.length === 0 ? (
              <p className="muted">No commission calculated{sale.data.teamMemberId === null ? ' (the sale is unattributed)' : ' yet'}.</p>
            ) : (
              <CalculationsTable items={sale.data.calculations} label="Commissions of this sale" />
            )}
          </section>
          <section className="panel" aria-labelledby="sale-refunds">
            <h2 id="sale-refunds">Refunds</h2>
            <Refunds sale={sale.data} />
          </section>
          {canUpdate && sale.data.teamMemberId !== null && (
            <section className="panel no-print" aria-labelledby="sale-correct">
              <h2 id="sale-correct">Correct the amount</h2>
              <CorrectForm key={`${sale.data.amountMinor}-${sale.data.refundedMinor}`} orgId={orgId} sale={sale.data} onCorrected={corrected} />
            </section>
          )}
          {canUpdate && sale.data.status !== 'refunded' && (
            <section className="panel no-print" aria-labelledby="sale-refund">
              <h2 id="sale-refund">Record refund</h2>
              <RefundForm key={sale.data.refundedMinor} orgId={orgId} sale={sale.data} onRecorded={refunded} />
            </section>
          )}
        </>
      )}
    </>
  );
}

function SaleView({ sale: s, team }: { sale: SaleDetail; team: Team }) {
  return (
    <>
      <h1>
        Sale {formatMinor(s.amountMinor, s.currency)} <MoneyStatus status={s.status} />
      </h1>
      <section className="panel" aria-labelledby="sale-details">
        <h2 id="sale-details">Details</h2>
        <dl className="facts">
          <dt>Amount</dt>
          <dd>
            {formatMinor(s.amountMinor, s.currency)}
            {s.originalAmountMinor !== null && s.originalAmountMinor !== s.amountMinor && <span className="muted"> (originally {formatMinor(s.originalAmountMinor, s.currency)})</span>}
          </dd>
          <dt>Refunded</dt>
          <dd>{formatMinor(s.refundedMinor, s.currency)}</dd>
          <dt>Paid</dt>
          <dd>
            <time dateTime={s.paidAt}>{formatTime(s.paidAt)}</time>
          </dd>
          <dt>Team member</dt>
          <dd>{s.teamMemberName ?? <span className="tag tag-warning">Unattributed</span>}</dd>
          <dt>Contact</dt>
          <dd>{s.contactName ?? '—'}</dd>
          <dt>Source</dt>
          <dd>{SALE_SOURCES[s.source] ?? s.source}</dd>
          <dt>External ID</dt>
          <dd>{s.externalId ? <code>{s.externalId}</code> : '—'}</dd>
          {s.productId && (
            <>
              <dt>Product</dt>
              <dd>
                <code>{s.productId}</code>
              </dd>
            </>
          )}
          {s.pipelineId && (
            <>
              <dt>Pipeline</dt>
              <dd>
                <code>{s.pipelineId}</code>
              </dd>
            </>
          )}
          {s.ghlOpportunityId && (
            <>
              <dt>GHL opportunity</dt>
              <dd>
                <code>{s.ghlOpportunityId}</code>
              </dd>
            </>
          )}
          {s.workflowId && (
            <>
              <dt>Commission workflow</dt>
              <dd>
                {s.temporalUiUrl ? (
                  <TemporalUiLink href={s.temporalUiUrl}>{s.workflowId}</TemporalUiLink>
                ) : (
                  <code>{s.workflowId}</code>
                )}
              </dd>
            </>
          )}
        </dl>
      </section>
      {s.splits && s.splits.length > 0 && (
        <section className="panel" aria-labelledby="sale-splits">
          <h2 id="sale-splits">Splits</h2>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Team member</th>
                <th scope="col" className="num">
                  Credit
                </th>
                <th scope="col" className="num">
                  Payout
                </th>
              </tr>
            </thead>
            <tbody>
              {s.splits.map((split) => (
                <tr key={split.teamMemberId}>
                  <td>{team.nameOf(split.teamMemberId)}</td>
                  <td className="num">{bpsToPercent(split.creditBps)}%</td>
                  <td className="num">{bpsToPercent(split.payoutBps)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}

function Refunds({ sale }: { sale: SaleDetail }) {
  if (sale.refunds.length === 0) return <p className="muted">No refunds.</p>;
  return (
    <table className="table" aria-label="Refunds">
      <thead>
        <tr>
          <th scope="col">Recorded</th>
          <th scope="col" className="num">
            Amount
          </th>
          <th scope="col">Reason</th>
          <th scope="col">External ID</th>
        </tr>
      </thead>
      <tbody>
        {sale.refunds.map((r) => (
          <tr key={r.id}>
            <td>
              <time dateTime={r.createdAt}>{formatTime(r.createdAt)}</time>
            </td>
            <td className="num">{formatMinor(r.amountMinor, sale.currency)}</td>
            <td>{r.reason ?? '—'}</td>
            <td>{r.externalId ? <code>{r.externalId}</code> : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
