import { executeChild, proxyActivities, WorkflowIdReusePolicy } from '@temporalio/workflow';
import type { CommissionActivities } from '../../activities/commissions';
import type { DraftedPayout } from '../../activities/commissions/payouts';
import type { PayoutPeriod } from '../../commissions';
import { payoutWorkflowId } from './messages';

const work = proxyActivities<CommissionActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 20, maximumInterval: '1 minute' },
});

/** `payout:<orgId>:<period>`: the period's draft payouts (idempotent: a re-run adds only what is new). */
export async function payoutBatchWorkflow(input: { orgId: string } & PayoutPeriod): Promise<DraftedPayout[]> {
  return work.draftPayouts(input);
}

/**
 * What the organization's payout schedule starts at the beginning of each period: works out,
 * in the organization's timezone, the period that just ended, and runs its batch.
 */
export async function payoutScheduleWorkflow(input: { orgId: string }): Promise<{ period: PayoutPeriod; payouts: DraftedPayout[] }> {
  // Workflow time: the moment the schedule fired (replays see the same).
  const period = await work.resolvePayoutPeriod({ orgId: input.orgId, at: new Date().toISOString(), which: 'last-complete' });
  const payouts = await executeChild(payoutBatchWorkflow, {
    workflowId: payoutWorkflowId(input.orgId, period),
    args: [{ orgId: input.orgId, periodStart: period.periodStart, periodEnd: period.periodEnd }],
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
  });
  return { period: { periodStart: period.periodStart, periodEnd: period.periodEnd }, payouts };
}
