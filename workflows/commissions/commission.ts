import { allHandlersFinished, condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { CommissionActivities } from '../../activities/commissions';
import { assignedSignal, commissionStateQuery, type CommissionInput, type CommissionOutcome, type CommissionState, decideUpdate } from './messages';

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

/**
 * One payment's commission, exactly once: the workflow id is `commission:<orgId>:<paymentKey>`,
 * so a second delivery of the payment cannot start another. Records the sale, finds who sold it
 * (or waits for a manager to assign someone), prices it, approves it automatically under the
 * organization's threshold, and otherwise waits for a `decide` update from an approver, with a
 * reminder and then an escalation to owners on durable timers. Approved commissions become
 * payable; the payout batch picks them up.
 */
export async function commissionWorkflow(input: CommissionInput): Promise<CommissionOutcome> {
  const { orgId } = input;
  const state: CommissionState = { phase: 'recording', transactionId: null, teamMemberId: null, calculations: [], reminded: false, escalated: false };
  let assigned = 0;
  setHandler(commissionStateQuery, () => state);
  setHandler(assignedSignal, () => {
    assigned += 1;
  });
  const open = () => state.calculations.filter((c) => UNDECIDED.has(c.status));
  const refreshStatuses = async () => {
    const now = await work.calculationStatuses({ orgId, ids: open().map((c) => c.id) });
    for (const c of state.calculations) c.status = now[c.id] ?? c.status;
  };
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

  const recorded = await work.recordSale({ orgId, sale: input.sale, workflowId: workflowInfo().workflowId });
  if (recorded.skipped) {
    state.phase = 'skipped';
    return { transactionId: null, skipped: recorded.skipped, calculations: [] };
  }
  const transactionId = recorded.transactionId;
  state.transactionId = transactionId;

  state.phase = 'attributing';
  let attribution = await work.attributeSale({ orgId, transactionId, hint: input.sale.attributionHint });
  while (!attribution.teamMemberId) {
    state.phase = 'unattributed';
    const seen = assigned;
    await condition(() => assigned > seen);
    const member = await work.saleTeamMember({ orgId, transactionId });
    if (member) attribution = { teamMemberId: member, via: 'manual' };
  }
  state.teamMemberId = attribution.teamMemberId;

  state.phase = 'calculating';
  const calculations = await work.calculateSale({ orgId, transactionId, via: attribution.via });
  state.calculations = calculations.map(({ id, teamMemberId, amountMinor, currency, status }) => ({ id, teamMemberId, amountMinor, currency, status }));
  for (const c of calculations.filter((x) => x.autoApprove)) {
    const result = await work.decideCommission({ orgId, calculationId: c.id, decision: 'approve', userId: null, comment: "Approved automatically: within the organization's auto-approval limit" });
    state.calculations.find((x) => x.id === c.id)!.status = result.status;
  }

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
  return { transactionId, calculations: state.calculations.map((c) => ({ id: c.id, status: c.status })) };
}
