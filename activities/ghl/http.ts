import type { z } from 'zod';
import { GhlError, parseGhlError } from './errors';
import type { RateLimiter } from './limiter';

/** GHL versions its API per service with a `Version` header. */
export const VERSION_2021_07_28 = '2021-07-28'; // contacts, opportunities, users, payments, invoices
export const VERSION_2021_04_15 = '2021-04-15'; // calendars, conversations
export type GhlApiVersion = typeof VERSION_2021_07_28 | typeof VERSION_2021_04_15;

export const DEFAULT_GHL_BASE_URL = 'https://services.leadconnectorhq.com';

/** The X-RateLimit-* headers of the last answer (GHL sends them on every response). */
export interface RateLimitInfo {
  dailyLimit?: number;
  dailyRemaining?: number;
  intervalMs?: number;
  max?: number;
  remaining?: number;
  at: number;
}

export interface RequestSpec<S extends z.ZodType> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  version: GhlApiVersion;
  query?: Record<string, string | number | boolean | undefined | null>;
  body?: unknown;
  schema: S;
  signal?: AbortSignal;
}

export interface GhlTransport {
  request<S extends z.ZodType>(spec: RequestSpec<S>): Promise<z.output<S>>;
  /** Null until the first answer. */
  readonly rateLimit: RateLimitInfo | null;
}

function num(headers: Headers, name: string): number | undefined {
  const v = headers.get(name);
  if (v === null || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export function readRateLimit(headers: Headers, at = Date.now()): RateLimitInfo | null {
  const info: RateLimitInfo = {
    dailyLimit: num(headers, 'x-ratelimit-limit-daily'),
    dailyRemaining: num(headers, 'x-ratelimit-daily-remaining'),
    intervalMs: num(headers, 'x-ratelimit-interval-milliseconds'),
    max: num(headers, 'x-ratelimit-max'),
    remaining: num(headers, 'x-ratelimit-remaining'),
    at,
  };
  return Object.values(info).filter((v) => v !== undefined).length > 1 ? info : null;
}

/** Retry-After (seconds or an HTTP date), else the burst interval GHL reported, else 10 s. */
export function retryAfterMs(headers: Headers, now = Date.now()): number {
  const raw = headers.get('retry-after');
  if (raw) {
    const secs = Number(raw);
    if (Number.isFinite(secs)) return Math.max(0, Math.ceil(secs * 1000));
    const date = Date.parse(raw);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  return num(headers, 'x-ratelimit-interval-milliseconds') ?? 10_000;
}

function urlOf(baseUrl: string, path: string, query: RequestSpec<z.ZodType>['query']): string {
  const url = new URL(path.replace(/^\//, ''), baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
  return url.toString();
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function createTransport(options: { baseUrl: string; accessToken: string; limiter: RateLimiter; fetch?: typeof fetch }): GhlTransport {
  const doFetch = options.fetch ?? fetch;
  let last: RateLimitInfo | null = null;
  return {
    get rateLimit() {
      return last;
    },
    async request(spec) {
      const release = await options.limiter.acquire(spec.signal);
      const headers: Record<string, string> = {
        Authorization: `Bearer ${options.accessToken}`,
        Version: spec.version,
        Accept: 'application/json',
      };
      if (spec.body !== undefined) headers['Content-Type'] = 'application/json';
      let res: Response;
      try {
        res = await doFetch(urlOf(options.baseUrl, spec.path, spec.query), {
          method: spec.method,
          headers,
          body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
          signal: spec.signal,
        });
      } catch (err) {
        // DNS, refused connection, reset: nothing was answered, so trying again later is right.
        throw new GhlError('transient', 0, `GHL unreachable: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        release();
      }
      last = readRateLimit(res.headers) ?? last;
      const body = await readBody(res);
      if (!res.ok) {
        const wait = res.status === 429 ? retryAfterMs(res.headers) : undefined;
        if (wait !== undefined) options.limiter.pauseUntil(Date.now() + wait);
        throw parseGhlError(res.status, body, wait);
      }
      const parsed = spec.schema.safeParse(body);
      if (!parsed.success) {
        const where = parsed.error.issues[0]?.path.join('.') || '(root)';
        throw new GhlError('unknown', res.status, `GHL answered ${spec.method} ${spec.path} in an unexpected shape at ${where}`, undefined, body);
      }
      return parsed.data;
    },
  };
}
