import { ApplicationFailure } from '@temporalio/workflow';
import { parseDuration } from '../../flows/duration';
import type { RetryPolicy } from '../../flows/types';

// How the interpreter talks about failures: of a node, of an activity attempt, of a child run.

/** A node that failed for good (after its retries); the run fails unless an error handle takes it. */
export class NodeFailure extends Error {
  constructor(
    readonly nodeId: string,
    message: string,
    readonly attempts: number,
  ) {
    super(message);
  }
}

/** Activity options for an I/O node from its retry policy and timeout. */
export function activityOptions(retry: RetryPolicy | undefined, timeoutMs: number | undefined) {
  return {
    startToCloseTimeout: timeoutMs ?? 60_000,
    retry: {
      maximumAttempts: retry?.maximumAttempts ?? 1,
      initialInterval: retry?.initialIntervalMs ?? 1000,
      backoffCoefficient: retry?.backoffCoefficient ?? 2,
      ...(retry?.maximumIntervalMs ? { maximumInterval: retry.maximumIntervalMs } : {}),
      // Errors the activity marks as permanent (4xx, bad config) are not retried.
      nonRetryableErrorTypes: ['NonRetryable'],
    },
  };
}

export function durationMs(value: string | number, nodeId: string): number {
  const parsed = parseDuration(value);
  if (!parsed.ok) throw new NodeFailure(nodeId, `Invalid duration ${String(value)}: ${parsed.problem}`, 1);
  return parsed.ms;
}

/** The attempt number an activity put in its failure's details. */
export function activityAttempt(err: unknown): number | undefined {
  let current: unknown = err;
  while (current instanceof Error) {
    if (current instanceof ApplicationFailure) {
      const attempt = (current.details?.[0] as { attempt?: unknown } | undefined)?.attempt;
      if (typeof attempt === 'number') return attempt;
    }
    current = current.cause;
  }
  return undefined;
}

/** The node failure a child run reported (in its ApplicationFailure details), if any. */
export function failureDetails(err: unknown): { nodeId?: string; attempts?: number; message?: string } | undefined {
  let current: unknown = err;
  while (current instanceof Error) {
    if (current instanceof ApplicationFailure && current.type === 'FlowNodeFailed') {
      return current.details?.[0] as { nodeId?: string; attempts?: number; message?: string } | undefined;
    }
    current = current.cause;
  }
  return undefined;
}

/** The innermost message: ActivityFailure wraps the activity's ApplicationFailure as `cause`. */
export function rootMessage(err: unknown): string {
  let current: unknown = err;
  while (current instanceof Error && current.cause) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
