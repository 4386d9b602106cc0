import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { RETENTION_KINDS, type RetentionKind, type RetentionResult } from './retention-kinds';

const { pruneExecutions, applyRetention } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { maximumAttempts: 5 },
});

/**
 * Run daily by the `flowline-data-retention` schedule: applies every organization's retention
 * (executions, conversations, audit log, webhook deliveries, trash), archiving first where an
 * organization asked for it. One kind at a time, so a failing kind is retried on its own and the
 * result says what each removed.
 */
export async function dataRetentionWorkflow(
  input: { kinds?: RetentionKind[]; batch?: number; /** One organization only (default: all). */ orgId?: string } = {},
): Promise<Record<string, RetentionResult>> {
  const results: Record<string, RetentionResult> = {};
  for (const kind of input.kinds ?? RETENTION_KINDS) {
    results[kind] = await applyRetention({ kind, ...(input.batch ? { batch: input.batch } : {}), ...(input.orgId ? { orgId: input.orgId } : {}) });
  }
  return results;
}

/** Executions only: kept so the schedule of earlier deployments still finds its workflow type. */
export async function pruneExecutionsWorkflow(): Promise<{ deleted: number }> {
  return pruneExecutions({});
}
