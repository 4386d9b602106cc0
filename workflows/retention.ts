import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { pruneExecutions } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { maximumAttempts: 5 },
});

/** Run daily by the `flowline-prune-executions` schedule: applies every org's retention. */
export async function pruneExecutionsWorkflow(): Promise<{ deleted: number }> {
  return pruneExecutions({});
}
