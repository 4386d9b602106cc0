import { useCallback, useEffect, useState } from 'react';
import { type ExecutionDetail, FINISHED, getExecution } from '../api/flows';
import { ApiError } from '../api/problem';

const POLL_MS = 1000;
// A failed poll (a restart, a blip) is retried, more slowly.
const RETRY_MS = 3000;

/**
 * An execution, polled every second until it finishes. Each poll starts when the previous one
 * answered, so a slow API is never asked twice at once; unmounting stops it.
 */
export function useExecution(orgId: string, executionId: string) {
  const [data, setData] = useState<ExecutionDetail>();
  const [error, setError] = useState<Error>();
  const [round, setRound] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const detail = await getExecution(orgId, executionId, controller.signal);
        if (controller.signal.aborted) return;
        setData(detail);
        setError(undefined);
        if (!FINISHED.has(detail.status)) timer = setTimeout(() => void poll(), POLL_MS);
      } catch (e) {
        if (controller.signal.aborted) return;
        setError(e instanceof Error ? e : new Error(String(e)));
        // Not found or forbidden will not get better by asking again.
        if (!(e instanceof ApiError && (e.status === 404 || e.status === 403))) timer = setTimeout(() => void poll(), RETRY_MS);
      }
    };
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [orgId, executionId, round]);

  // After an action (cancel, approve): look now rather than at the next tick, and resume polling.
  const refresh = useCallback(() => setRound((r) => r + 1), []);
  return { data, error, refresh };
}
