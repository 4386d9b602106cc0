import type { Connection } from '@temporalio/client';

/** How long a closed client keeps its channel for retries already scheduled (the SDK's backoff tops out well below). */
const RETRY_GRACE_MS = 15_000;

/**
 * Closes a client connection once retries already scheduled on it have had their turn. The
 * client's gRPC retry interceptor schedules each retry with a timer that Connection.close() does
 * not clear; one firing after close throws "Channel has been shut down" from the timer, outside
 * any test, and fails the whole suite. On a loaded machine a call in flight at the end of a test
 * can be mid-retry, so the channel stays open for a grace period (unref'd: it never keeps the
 * process alive).
 */
export function closeAfterRetries(connection: Connection): Promise<void> {
  setTimeout(() => void connection.close().catch(() => undefined), RETRY_GRACE_MS).unref();
  return Promise.resolve();
}
