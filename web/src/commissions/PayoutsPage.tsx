import { useState } from 'react';
import { listPayouts, type PayoutStatus, runPayouts } from '../api/commissions';
import { EmptyState } from '../components/EmptyState';
import { ErrorAlert, Loading } from '../components/Notices';
import { useToast } from '../components/Toasts';
import type { OrgPageProps } from '../org/OrgLayout';
import { may } from '../permissions';
import { usePaged } from '../use-paged';
import { PAYOUT_STATUSES } from './labels';
import { payoutPath } from './paths';
import { PayoutsTable } from './PayoutsTable';
import { TeamOptions, useTeam } from './use-team';
import './commissions.css';
import { LoadMore } from '../components/LoadMore';

const PAGE_SIZE = 50;

/** `/orgs/:orgId/payouts`: what each member is paid per period; draft, then locked, then paid. */
export function PayoutsPage({ orgId, membership }: OrgPageProps) {
  const team = useTeam(orgId, membership);
  const [status, setStatus] = useState<PayoutStatus | ''>('');
  const [teamMemberId, setTeamMemberId] = useState('');
  const list = usePaged(
    (cursor, signal) => listPayouts(orgId, { status: status || undefined, teamMemberId: teamMemberId || undefined, cursor, limit: PAGE_SIZE }, signal),
    [orgId, status, teamMemberId],
  );

  return (
    <>
      <h1>Payouts</h1>
      <p className="muted">Approved commissions gathered per member and pay period. Lock a payout once checked, then mark it paid.</p>
      {may(membership, 'payouts', 'create') && <RunPayouts orgId={orgId} onRun={list.reload} />}
      <section className="panel" aria-label="Payouts">
        <form className="form form-inline" role="search" aria-label="Filter payouts" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="payouts-status">Status</label>
            <select id="payouts-status" value={status} onChange={(e) => setStatus(e.target.value as PayoutStatus | '')}>
              <option value="">Any status</option>
              {Object.entries(PAYOUT_STATUSES).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          {team.members.length > 0 && (
            <div className="field">
              <label htmlFor="payouts-member">Team member</label>
              <select id="payouts-member" value={teamMemberId} onChange={(e) => setTeamMemberId(e.target.value)}>
                <option value="">Everyone</option>
                <TeamOptions team={team} />
              </select>
            </div>
          )}
        </form>
        <ErrorAlert message={list.error?.message} />
        {list.items.length === 0 ? (
          list.loading ? (
            <Loading what="payouts" />
          ) : (
            <EmptyState title={status || teamMemberId ? 'No payouts match these filters' : 'No payouts yet'}>Payouts are made by the payout schedule at the end of each period, or by running the batch now.</EmptyState>
          )
        ) : (
          <PayoutsTable items={list.items} href={(p) => payoutPath(orgId, p.id)} />
        )}
        <LoadMore list={list} />
      </section>
    </>
  );
}

/** Runs the payout batch for the current period so far, or the one ending on or before a chosen day. */
function RunPayouts({ orgId, onRun }: { orgId: string; onRun: () => void }) {
  const toast = useToast();
  const [periodEnd, setPeriodEnd] = useState('');
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const result = await runPayouts(orgId, periodEnd || undefined);
      const n = result.payouts.length;
      toast.success(`Payout batch run for ${result.periodStart} – ${result.periodEnd}`, n === 0 ? 'Nothing was due for that period.' : `${n} payout${n === 1 ? '' : 's'} drafted or updated.`);
      onRun();
    } catch (e) {
      toast.error(e, 'Could not run the payout batch');
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel form form-inline run-payouts" aria-label="Run payouts">
      <div className="field">
        <label htmlFor="payouts-period-end">Period ending on or before</label>
        <input id="payouts-period-end" type="date" value={periodEnd} onChange={(e) => setPeriodEnd(e.target.value)} aria-describedby="payouts-period-end-hint" />
        <p id="payouts-period-end-hint" className="field-hint">
          Empty: the current period so far.
        </p>
      </div>
      <div className="actions">
        <button type="button" className="btn-primary" disabled={busy} onClick={() => void run()}>
          {busy ? 'Running…' : 'Run payout batch now'}
        </button>
      </div>
    </section>
  );
}
