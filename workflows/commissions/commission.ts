import { condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { CommissionActivities } from '../../activities/commissions';
import { awaitDecisions, decisionHandlers } from './decisions';
import { assignedSignal, type CommissionInput, type CommissionOutcome, type CommissionState } from './messages';

const work = proxyActivities<CommissionActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 20, maximumInterval: '1 minute' },
});

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
  setHandler(assignedSignal, () => {
    assigned += 1;
  });
  const { open } = decisionHandlers(orgId, state);

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
  await awaitDecisions(orgId, state, calculations, open);
  return { transactionId, calculations: state.calculations.map((c) => ({ id: c.id, status: c.status })) };
}

/**
 * A sale whose amount changed after it was priced (`commission-correction:<orgId>:<saleId>:<n>`):
 * prices it again; each commission that changes is superseded by a new pending row that shows
 * the discrepancy (a paid one is clawed back in full first), and a manager decides it again.
 */
export async function saleCorrectionWorkflow(input: { orgId: string; transactionId: string }): Promise<CommissionOutcome> {
  const { orgId, transactionId } = input;
  const state: CommissionState = { phase: 'calculating', transactionId, teamMemberId: null, calculations: [], reminded: false, escalated: false };
  const { open } = decisionHandlers(orgId, state);
  const calculations = await work.correctSale({ orgId, transactionId });
  await awaitDecisions(orgId, state, calculations, open);
  return { transactionId, calculations: state.calculations.map((c) => ({ id: c.id, status: c.status })) };
}
