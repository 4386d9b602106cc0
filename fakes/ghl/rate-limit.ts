/*
 * GHL's documented limits: a burst of 100 requests per 10 s and 200,000 per day, per app per
 * location, reported on every answer in X-RateLimit-* headers; past the burst limit, 429.
 */
export interface RateLimitOptions {
  max?: number;
  intervalMs?: number;
  daily?: number;
}

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
  retryAfterSeconds?: number;
}

export function createRateLimits(options: RateLimitOptions = {}) {
  const max = options.max ?? 100;
  const intervalMs = options.intervalMs ?? 10_000;
  const daily = options.daily ?? 200_000;
  const windows = new Map<string, number[]>();
  const days = new Map<string, { day: string; count: number }>();

  return {
    max,
    intervalMs,
    /** Counts an accepted request of `locationId` now, or refuses it. Refused requests do not count. */
    take(locationId: string, now = Date.now()): RateDecision {
      const arrivals = windows.get(locationId) ?? [];
      while (arrivals.length && arrivals[0]! <= now - intervalMs) arrivals.shift();
      windows.set(locationId, arrivals);
      const day = new Date(now).toISOString().slice(0, 10);
      let used = days.get(locationId);
      if (!used || used.day !== day) {
        used = { day, count: 0 };
        days.set(locationId, used);
      }
      const allowed = arrivals.length < max && used.count < daily;
      if (allowed) {
        arrivals.push(now);
        used.count++;
      }
      const headers = {
        'X-RateLimit-Limit-Daily': String(daily),
        'X-RateLimit-Daily-Remaining': String(Math.max(0, daily - used.count)),
        'X-RateLimit-Interval-Milliseconds': String(intervalMs),
        'X-RateLimit-Max': String(max),
        'X-RateLimit-Remaining': String(Math.max(0, max - arrivals.length)),
      };
      if (allowed) return { allowed, headers };
      const waitMs = used.count >= daily ? Date.parse(`${day}T00:00:00.000Z`) + 86_400_000 - now : arrivals[0]! + intervalMs - now;
      return { allowed, headers, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    },
  };
}
