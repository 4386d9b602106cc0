/*
 * GHL allows 100 requests per 10 s per location (burst limit, per app per location) and counts
 * requests when they arrive. We cannot see arrival, but it lies between our send and the answer,
 * so a request holds its place in our window from the moment it starts until 10 s after its
 * answer came back: then no 10 s window at GHL can hold more than 100 of ours, however slow the
 * network. Callers wait for a place instead of failing. Every client for the same location in
 * this process shares one window (see limiterFor), so parallel activities do not add up past it.
 */
export interface RateLimiter {
  /** Resolves when a request may start; call the returned function once its answer arrived (or it failed). */
  acquire(signal?: AbortSignal): Promise<() => void>;
  /** After a 429: no request starts before `untilMs` (epoch ms). */
  pauseUntil(untilMs: number): void;
}

export interface SlidingWindowOptions {
  max?: number;
  windowMs?: number;
  /** Added to the window for clock granularity. */
  marginMs?: number;
  now?: () => number;
}

export class SlidingWindowLimiter implements RateLimiter {
  /** One entry per request in the window: Infinity while in flight, else when its answer came. */
  private readonly entries: { doneAt: number }[] = [];
  private pausedUntil = 0;
  private readonly max: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private chain: Promise<unknown> = Promise.resolve();
  private released: { promise: Promise<void>; resolve: () => void } | null = null;

  constructor(options: SlidingWindowOptions = {}) {
    this.max = options.max ?? 100;
    this.windowMs = (options.windowMs ?? 10_000) + (options.marginMs ?? 50);
    this.now = options.now ?? Date.now;
  }

  acquire(signal?: AbortSignal): Promise<() => void> {
    // Waiters decide one at a time, in arrival order, so nobody loses their turn.
    const turn = this.chain.then(() => this.waitForPlace(signal));
    this.chain = turn.catch(() => undefined);
    return turn;
  }

  pauseUntil(untilMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
  }

  private async waitForPlace(signal?: AbortSignal): Promise<() => void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.now();
      for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i]!.doneAt <= now - this.windowMs) this.entries.splice(i, 1);
      if (this.pausedUntil > now) {
        await sleep(this.pausedUntil - now, signal);
        continue;
      }
      if (this.entries.length < this.max) {
        const entry = { doneAt: Infinity };
        this.entries.push(entry);
        let done = false;
        return () => {
          if (done) return;
          done = true;
          entry.doneAt = this.now();
          this.released?.resolve();
          this.released = null;
        };
      }
      const oldestDone = Math.min(...this.entries.map((e) => e.doneAt));
      if (Number.isFinite(oldestDone)) await sleep(oldestDone + this.windowMs - now, signal);
      else await this.nextRelease(signal);
    }
  }

  private nextRelease(signal?: AbortSignal): Promise<void> {
    if (!this.released) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.released = { promise, resolve };
    }
    const released = this.released.promise;
    if (!signal) return released;
    return Promise.race([released, new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(abortReason(signal)), { once: true }))]);
  }
}

const abortReason = (signal: AbortSignal) => (signal.reason instanceof Error ? signal.reason : new Error('aborted'));

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal!));
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
