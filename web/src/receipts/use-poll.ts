import { useEffect, useRef } from 'react';

/** How often a receipt being read is asked about again. */
export const POLL_MS = 1000;

/**
 * Calls `tick` every `ms` while `active`: a receipt is read by a workflow in the background and
 * the page follows it until it settles. One call at a time; the next waits for the last.
 */
export function usePoll(active: boolean, tick: (signal: AbortSignal) => Promise<void>, ms = POLL_MS): void {
  // The latest `tick`, so a poll started renders ago still calls what the page now means.
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!active) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout>;
    const again = () => {
      timer = setTimeout(() => {
        latest.current(controller.signal).then(
          () => !controller.signal.aborted && again(),
          // A failed poll is not the page's failure: the next one may answer.
          () => !controller.signal.aborted && again(),
        );
      }, ms);
    };
    again();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [active, ms]);
}
