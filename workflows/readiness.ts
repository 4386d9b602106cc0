import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { probePostgres } = proxyActivities<Activities>({
  // Readiness must answer fast and truthfully: one attempt, no retries hiding a dead database.
  startToCloseTimeout: '5 seconds',
  retry: { maximumAttempts: 1 },
});

export interface ReadinessResult {
  postgres: { status: 'up'; serverVersion: string; latencyMs: number } | { status: 'down'; error: string };
}

/** One real trip through every part: API -> Temporal -> worker -> activity -> Postgres. */
export async function readinessWorkflow(): Promise<ReadinessResult> {
  try {
    const probe = await probePostgres();
    return { postgres: { status: 'up', ...probe } };
  } catch (err) {
    return { postgres: { status: 'down', error: describeFailure(err) } };
  }
}

function describeFailure(err: unknown): string {
  // ActivityFailure wraps the activity's own error as `cause`.
  let current: unknown = err;
  while (current instanceof Error && current.cause) current = current.cause;
  if (current instanceof ApplicationFailure || current instanceof Error) return current.message;
  return String(current);
}
