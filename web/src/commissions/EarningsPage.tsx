import { lazy, Suspense, useState } from 'react';
import { type EarningsSummary, getEarningsSummary, listCalculations, listPayouts } from '../api/commissions';
import type { Membership } from '../api/types';
import { EmptyState } from '../components/EmptyState';
import { ErrorAlert, Loading } from '../components/Notices';
import type { OrgPageProps } from '../org/OrgLayout';
import { may } from '../permissions';
import { useLoad } from '../use-load';
import { usePaged } from '../use-paged';
import { CalculationsTable } from './CalculationsTable';
import { monthLabel, SERIES } from './earnings';
import { formatMinor } from './money';
import { earningsPayoutPath, salePath } from './paths';
import { PayoutsTable } from './PayoutsTable';
import { TeamOptions, useTeam } from './use-team';
import './commissions.css';

const EarningsChart = lazy(() => import('./EarningsChart'));
const MONTHS = 12;
const RECENT = 10;
const EVERYONE = '*';

/**
 * `/orgs/:orgId/earnings`: a member's commissions per month, their recent commissions and their
 * payouts. The API narrows a sales rep to their own rows; managers may look at any member.
 */
export function EarningsPage({ orgId, membership }: OrgPageProps) {
  const team = useTeam(orgId, membership);
  const canPick = may(membership, 'commissions', 'approve') || may(membership, 'payouts', 'read');
  const [picked, setPicked] = useState<string>();
  if (team.loading) return <Loading what="your earnings" />;
  // Default: the signed-in user's own team member; without one, whatever the API lets them see.
  const choice = picked ?? team.ownId ?? EVERYONE;
  const teamMemberId = choice === EVERYONE ? undefined : choice;

  return (
    <>
      <div className="page-head">
        <div>
          <h1>My earnings</h1>
          <p className="muted">Commissions by month, from pending to paid, with the payouts that paid them.</p>
        </div>
        {canPick && team.members.length > 0 && (
          <div className="field">
            <label htmlFor="earnings-member">Team member</label>
            <select id="earnings-member" value={choice} onChange={(e) => setPicked(e.target.value)}>
              <option value={EVERYONE}>Everyone</option>
              <TeamOptions team={team} />
            </select>
          </div>
        )}
      </div>
      <Earnings key={choice} orgId={orgId} membership={membership} teamMemberId={teamMemberId} />
    </>
  );
}

function Earnings({ orgId, membership, teamMemberId }: { orgId: string; membership: Membership; teamMemberId: string | undefined }) {
  const summary = useLoad((signal) => getEarningsSummary(orgId, { teamMemberId, months: MONTHS }, signal), [orgId, teamMemberId]);
  const calculations = usePaged((cursor, signal) => listCalculations(orgId, { teamMemberId, cursor, limit: RECENT }, signal), [orgId, teamMemberId]);
  const payouts = usePaged((cursor, signal) => listPayouts(orgId, { teamMemberId, cursor, limit: RECENT }, signal), [orgId, teamMemberId]);
  const canOpenSales = may(membership, 'sales', 'read');

  return (
    <>
      <section className="panel" aria-labelledby="earnings-by-month">
        <h2 id="earnings-by-month">By month</h2>
        {!summary.data ? (
          summary.error ? <ErrorAlert message={summary.error.message} /> : <Loading what="the summary" />
        ) : summary.data.currency === null || summary.data.periods.length === 0 ? (
          <EmptyState title="No commissions yet">Commissions appear here as sales come in.</EmptyState>
        ) : (
          <>
            <Suspense fallback={<Loading what="the chart" />}>
              <EarningsChart summary={summary.data} currency={summary.data.currency} />
            </Suspense>
            <EarningsTable summary={summary.data} currency={summary.data.currency} />
          </>
        )}
      </section>
      <section className="panel" aria-labelledby="earnings-recent">
        <h2 id="earnings-recent">Recent commissions</h2>
        <ErrorAlert message={calculations.error?.message} />
        {calculations.items.length === 0 ? (
          calculations.loading ? <Loading what="commissions" /> : <p className="muted">No commissions yet.</p>
        ) : (
          <CalculationsTable
            items={calculations.items}
            label="Recent commissions"
            hideMember={teamMemberId !== undefined}
            saleHref={canOpenSales ? (c) => (c.transactionId ? salePath(orgId, c.transactionId) : undefined) : undefined}
          />
        )}
        {calculations.nextCursor && (
          <p>
            <button type="button" onClick={calculations.loadMore} disabled={calculations.loading}>
              More commissions
            </button>
          </p>
        )}
      </section>
      <section className="panel" aria-labelledby="earnings-payouts">
        <h2 id="earnings-payouts">Payouts</h2>
        <ErrorAlert message={payouts.error?.message} />
        {payouts.items.length === 0 ? (
          payouts.loading ? <Loading what="payouts" /> : <p className="muted">No payouts yet.</p>
        ) : (
          <PayoutsTable items={payouts.items} hideMember={teamMemberId !== undefined} href={(p) => earningsPayoutPath(orgId, p.id)} />
        )}
        {payouts.nextCursor && (
          <p>
            <button type="button" onClick={payouts.loadMore} disabled={payouts.loading}>
              More payouts
            </button>
          </p>
        )}
      </section>
    </>
  );
}

/** The chart's numbers, exact: for reading, copying and screen readers. */
function EarningsTable({ summary, currency }: { summary: EarningsSummary; currency: string }) {
  return (
    <details className="earnings-numbers">
      <summary>Numbers by month</summary>
      <table className="table" aria-label="Commissions by month">
        <thead>
          <tr>
            <th scope="col">Month</th>
            {SERIES.map((s) => (
              <th key={s.key} scope="col" className="num">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {summary.periods.map((p) => (
            <tr key={p.period}>
              <th scope="row">{monthLabel(p.period)}</th>
              {SERIES.map((s) => (
                <td key={s.key} className="num">
                  {formatMinor(p[s.key], currency)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
