import { proxyActivities } from '@temporalio/workflow';
import type { CommissionActivities } from '../../activities/commissions';
import type { RefundInput, RefundOutcome } from '../../activities/commissions/refunds';

const { recordRefund } = proxyActivities<CommissionActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 10, maximumInterval: '30 seconds' },
});

/**
 * One refund of one sale (`refund:<orgId>:<sale>:<refundId>`): records it and its clawbacks.
 * The activity is idempotent too, so a retry after a lost answer changes nothing.
 */
export async function saleRefundWorkflow(input: RefundInput): Promise<RefundOutcome> {
  return recordRefund(input);
}
