import { useState } from 'react';
import { approveCalculation, type Calculation, type CalculationStatus, listCalculations, rejectCalculation } from '../api/commissions';
import { ApiError } from '../api/problem';
import { EmptyState } from '../components/EmptyState';
import { ErrorAlert, Loading } from '../components/Notices';
import { useToast } from '../components/Toasts';
import type { OrgPageProps } from '../org/OrgLayout';
import { may } from '../permissions';
import { usePaged } from '../use-paged';
import { approveInBatches } from './bulk-approve';
import { BulkApproveDialog } from './BulkApproveDialog';
import { CalculationsTable } from './CalculationsTable';
import { formatMinor, formatTotals, totalsByCurrency } from './money';
import { salePath } from './paths';
import { RejectDialog } from './RejectDialog';
import { TeamOptions, useTeam } from './use-team';
import './commissions.css';
import { LoadMore } from '../components/LoadMore';

const PAGE_SIZE = 50;
const STATUS_FILTERS: { value: string; label: string; statuses: CalculationStatus[] }[] = [
  { value: 'open', label: 'Pending and held', statuses: ['pending', 'held'] },
  { value: 'pending', label: 'Pending', statuses: ['pending'] },
  { value: 'held', label: 'Held for review', statuses: ['held'] },
];

/** `/orgs/:orgId/commissions`: commissions waiting for a decision, approved one by one or in bulk. */
export function CommissionsInboxPage({ orgId, membership }: OrgPageProps) {
  const toast = useToast();
  const team = useTeam(orgId, membership);
  const canApprove = may(membership, 'commissions', 'approve');
  const canOpenSales = may(membership, 'sales', 'read');
  const [statusFilter, setStatusFilter] = useState('open');
  const [teamMemberId, setTeamMemberId] = useState('');
  const statuses = STATUS_FILTERS.find((f) => f.value === statusFilter)?.statuses ?? ['pending', 'held'];
  const list = usePaged(
    (cursor, signal) => listCalculations(orgId, { status: statuses, teamMemberId: teamMemberId || undefined, cursor, limit: PAGE_SIZE }, signal),
    [orgId, statusFilter, teamMemberId],
  );
  // Decided rows stay in view with their new status until the list is loaded again.
  const [decided, setDecided] = useState<ReadonlyMap<string, Calculation>>(new Map());
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [rejecting, setRejecting] = useState<Calculation>();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());

  const items = list.items.map((c) => decided.get(c.id) ?? c);
  // The API refuses approving one's own commission (403): do not offer it.
  const decidable = (c: Calculation) => canApprove && c.status === 'pending' && c.teamMemberId !== team.ownId;
  const chosen = items.filter((c) => selected.has(c.id) && decidable(c));

  const markDecided = (calcs: Calculation[]) => {
    setDecided((d) => new Map([...d, ...calcs.map((c) => [c.id, c] as const)]));
    setSelected((s) => new Set([...s].filter((id) => !calcs.some((c) => c.id === id))));
  };
  const withBusy = async (id: string, fn: () => Promise<void>) => {
    setBusy((b) => new Set(b).add(id));
    try {
      await fn();
    } finally {
      setBusy((b) => new Set([...b].filter((x) => x !== id)));
    }
  };

  const approve = (c: Calculation) =>
    withBusy(c.id, async () => {
      try {
        markDecided([await approveCalculation(orgId, c.id)]);
        toast.success('Approved', `${formatMinor(c.amountMinor, c.currency)} for ${c.teamMemberName}`);
      } catch (e) {
        if (e instanceof ApiError && e.status === 409) list.reload();
        toast.error(e, 'Could not approve');
      }
    });

  const reject = async (c: Calculation, comment: string) => {
    markDecided([await rejectCalculation(orgId, c.id, comment)]);
    setRejecting(undefined);
    toast.success('Rejected', `${formatMinor(c.amountMinor, c.currency)} for ${c.teamMemberName}`);
  };

  const approveSelected = async (comment: string | undefined) => {
    const outcome = await approveInBatches(
      orgId,
      chosen.map((c) => c.id),
      comment,
    );
    markDecided(outcome.approved);
    setConfirming(false);
    if (outcome.approved.length > 0) toast.success(`Approved ${outcome.approved.length}`, formatTotals(totalsByCurrency(outcome.approved)));
    if (outcome.failed.length > 0) {
      const name = (id: string) => {
        const c = items.find((x) => x.id === id);
        return c ? `${c.teamMemberName}, ${formatMinor(c.amountMinor, c.currency)}` : id;
      };
      toast.error(
        new ApiError({
          type: 'about:blank',
          title: `${outcome.failed.length} not approved`,
          status: 0,
          detail: `${outcome.failed.length} of ${chosen.length} commissions could not be approved.`,
          errors: outcome.failed.map((f) => ({ path: name(f.id), message: f.reason })),
        }),
      );
    }
  };

  return (
    <>
      <h1>Commissions</h1>
      <p className="muted">
        Commissions waiting for a decision. {canApprove ? 'Approve them one by one or tick several and approve them together.' : 'You can follow them here; approving is up to your managers.'}
      </p>
      <section className="panel" aria-label="Commissions to decide">
        <form className="form form-inline" role="search" aria-label="Filter commissions" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="inbox-status">Status</label>
            <select id="inbox-status" value={statusFilter} onChange={(e) => setStatusFilter(e.target.value)}>
              {STATUS_FILTERS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
          </div>
          {team.members.length > 0 && (
            <div className="field">
              <label htmlFor="inbox-member">Team member</label>
              <select id="inbox-member" value={teamMemberId} onChange={(e) => setTeamMemberId(e.target.value)}>
                <option value="">Everyone</option>
                <TeamOptions team={team} />
              </select>
            </div>
          )}
        </form>
        {canApprove && (
          <div className="actions toolbar">
            <span className="muted" aria-live="polite">
              {chosen.length > 0 ? `${chosen.length} selected: ${formatTotals(totalsByCurrency(chosen))}` : 'Tick pending commissions to approve several at once.'}
            </span>
            <button type="button" className="btn-primary" disabled={chosen.length === 0} onClick={() => setConfirming(true)}>
              Approve selected
            </button>
          </div>
        )}
        <ErrorAlert message={list.error?.message} />
        {items.length === 0 ? (
          list.loading ? (
            <Loading what="commissions" />
          ) : (
            <EmptyState title="Nothing is waiting">New sales create commissions here; those under the auto-approve threshold skip the queue.</EmptyState>
          )
        ) : (
          <CalculationsTable
            items={items}
            label="Commissions"
            saleHref={canOpenSales ? (c) => (c.transactionId ? salePath(orgId, c.transactionId) : undefined) : undefined}
            selection={
              canApprove
                ? {
                    selected,
                    selectable: decidable,
                    onToggle: (id, on) => setSelected((s) => toggled(s, [id], on)),
                    onToggleAll: (on) => setSelected((s) => toggled(s, items.filter(decidable).map((c) => c.id), on)),
                  }
                : undefined
            }
            actions={
              canApprove
                ? (c) =>
                    decidable(c) ? (
                      <div className="row-actions">
                        <button type="button" className="btn-primary" disabled={busy.has(c.id)} onClick={() => void approve(c)}>
                          Approve
                        </button>
                        <button type="button" className="btn-danger-outline" disabled={busy.has(c.id)} onClick={() => setRejecting(c)}>
                          Reject
                        </button>
                      </div>
                    ) : c.status === 'pending' && c.teamMemberId === team.ownId ? (
                      <span className="muted small">Your own: another approver decides</span>
                    ) : null
                : undefined
            }
          />
        )}
        <LoadMore list={list} />
      </section>
      {canApprove && (
        <>
          <BulkApproveDialog open={confirming} selected={chosen} onClose={() => setConfirming(false)} onConfirm={approveSelected} />
          <RejectDialog calculation={rejecting} onClose={() => setRejecting(undefined)} onReject={reject} />
        </>
      )}
    </>
  );
}

function toggled(set: ReadonlySet<string>, ids: string[], on: boolean): ReadonlySet<string> {
  const next = new Set(set);
  for (const id of ids) {
    if (on) next.add(id);
    else next.delete(id);
  }
  return next;
}
