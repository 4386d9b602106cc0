/*
 * GHL allows 100 requests per 10 s per location (burst limit, per app per location). A sliding
 * window over the start times of our own requests keeps one process under it; callers wait for
 * a slot instead of failing. Every client for the same location in this process shares one
 * window (see limiterFor), so parallel activities do not add up past the limit.
 */
export interface RateLimiter {
  /** Resolves when a request may start now; records that start. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** After a 429: no request starts before `untilMs` (epoch ms). */
  pauseUntil(untilMs: number): void;
}

export interface SlidingWindowOptions {
  max?: number;
  windowMs?: number;
  /**
   * Added to the window: GHL counts arrivals, we count departures, and a request that left
   * early can arrive late, so a window exactly as long as theirs could still overshoot.
   */
  marginMs?: number;
  now?: () => number;
}

export class SlidingWindowLimiter implements RateLimiter {
  private readonly starts: number[] = [];
  private pausedUntil = 0;
  private readonly max: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private chain: Promise<void> = Promise.resolve();

  constructor(options: SlidingWindowOptions = {}) {
    this.max = options.max ?? 100;
    this.windowMs = (options.windowMs ?? 10_000) + (options.marginMs ?? 250);
    this.now = options.now ?? Date.now;
  }

  acquire(signal?: AbortSignal): Promise<void> {
    // One waiter at a time decides, in arrival order, so waiting requests keep their turn.
    const turn = this.chain.then(() => this.waitForSlot(signal));
    this.chain = turn.catch(() => undefined);
    return turn;
  }

  pauseUntil(untilMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
  }

  private async waitForSlot(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.now();
      while (this.starts.length && this.starts[0]! <= now - this.windowMs) this.starts.shift();
      let waitMs = 0;
      if (this.pausedUntil > now) waitMs = this.pausedUntil - now;
      else if (this.starts.length >= this.max) waitMs = this.starts[0]! + this.windowMs - now;
      if (waitMs <= 0) {
        this.starts.push(now);
        return;
      }
      await sleep(waitMs, signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const perLocation = new Map<string, RateLimiter>();

/** The process-wide limiter of one location. */
export function limiterFor(locationId: string): RateLimiter {
  let limiter = perLocation.get(locationId);
  if (!limiter) {
    limiter = new SlidingWindowLimiter();
    perLocation.set(locationId, limiter);
  }
  return limiter;
}
