import { ApplicationFailure } from '@temporalio/activity';

/** The type the interpreter lists as non-retryable: the same request would fail again. */
export const NON_RETRYABLE = 'NonRetryable';

/** A permanent failure (bad request, 4xx, refused address): no retry. */
export function permanent(message: string, attempt: number, details: Record<string, unknown> = {}): ApplicationFailure {
  return ApplicationFailure.create({ type: NON_RETRYABLE, message, nonRetryable: true, details: [{ attempt, ...details }] });
}

/** A transient failure (5xx, 429, timeout, network): Temporal retries per the node's policy. */
export function transient(message: string, attempt: number, details: Record<string, unknown> = {}): ApplicationFailure {
  return ApplicationFailure.create({ type: 'Transient', message, details: [{ attempt, ...details }] });
}
