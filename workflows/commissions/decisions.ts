import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { CommissionActivities } from '../../activities/commissions';
import type { CalculationSummary } from '../../activities/commissions/calculations';
import { commissionStateQuery, type CommissionState, decideUpdate } from './messages';

const work = proxyActivities<CommissionActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 20, maximumInterval: '1 minute' },
});
// A person waits for a decision: few quick attempts, then the API reports the failure.
const decide = proxyActivities<CommissionActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { maximumAttempts: 3, maximumInterval: '2 seconds' },
});

const UNDECIDED = new Set(['pending', 'held']);

/** The state a commission workflow shows (query `state`) and the handlers that move it. */
export function decisionHandlers(orgId: string, state: CommissionState) {
  const open = () => state.calculations.filter((c) => UNDECIDED.has(c.status));
  setHandler(commissionStateQuery, () => state);
  setHandler(
    decideUpdate,
    async (args) => {
      const result = await decide.decideCommission({ orgId, calculationId: args.calculationId, decision: args.decision, userId: args.userId, comment: args.comment });
      const calc = state.calculations.find((c) => c.id === args.calculationId);
      if (calc) calc.status = result.status;
      return result;
    },
    {
      validator: (args) => {
        if (state.phase !== 'awaiting_approval') throw new Error(`this commission is not awaiting a decision (${state.phase})`);
        if (!open().some((c) => c.id === args.calculationId)) throw new Error('this commission is not awaiting a decision');
      },
    },
  );
  return { open };
}

/**
 * Approves automatically what the organization's threshold allows, then waits for a `decide`
 * update on each remaining calculation, with a reminder to the approvers and then an escalation
 * to the owners on durable timers (the organization's delays, read when the wait starts).
 */
export async function awaitDecisions(orgId: string, state: CommissionState, calculations: CalculationSummary[], open: () => CommissionState['calculations']): Promise<void> {
  state.calculations = calculations.map(({ id, teamMemberId, amountMinor, currency, status }) => ({ id, teamMemberId, amountMinor, currency, status }));
  for (const c of calculations.filter((x) => x.autoApprove)) {
    const result = await work.decideCommission({ orgId, calculationId: c.id, decision: 'approve', userId: null, comment: "Approved automatically: within the organization's auto-approval limit" });
    state.calculations.find((x) => x.id === c.id)!.status = result.status;
  }
  const refreshStatuses = async () => {
    const now = await work.calculationStatuses({ orgId, ids: open().map((c) => c.id) });
    for (const c of state.calculations) c.status = now[c.id] ?? c.status;
  };

  state.phase = 'awaiting_approval';
  if (open().length > 0) {
    const timers = await work.commissionTimers({ orgId });
    const stages: Array<{ afterMs: number; kind: 'reminder' | 'escalation' }> = [
      { afterMs: timers.reminderAfterSeconds * 1000, kind: 'reminder' },
      { afterMs: Math.max(timers.escalateAfterSeconds - timers.reminderAfterSeconds, 1) * 1000, kind: 'escalation' },
    ];
    for (const stage of stages) {
      if (await condition(() => open().length === 0, stage.afterMs)) break;
      await refreshStatuses();
      for (const c of open()) await work.notifyApprovers({ orgId, calculationId: c.id, kind: stage.kind });
      if (stage.kind === 'reminder') state.reminded = true;
      else state.escalated = true;
    }
    // After the escalation: wait on, looking at the ledger daily in case a decision was made
    // without this workflow (the API decides directly when it cannot reach a waiting run).
    while (open().length > 0) {
      if (!(await condition(() => open().length === 0, '1 day'))) await refreshStatuses();
    }
  }
  await condition(allHandlersFinished);
  state.phase = 'done';
}
