import { ApplicationFailure } from '@temporalio/common';

/*
 * GHL answers errors in more than one shape: most services say `{statusCode, message, error}`,
 * some say `{status, message}`, validation errors carry `message` as an array of strings, and the
 * OAuth endpoint may answer `{error, error_description}`. Callers only need to know what to do
 * next, so every failure becomes one GhlError with a kind.
 */
export type GhlErrorKind = 'auth' | 'not_found' | 'validation' | 'rate_limited' | 'transient' | 'unknown';

export class GhlError extends Error {
  override readonly name = 'GhlError';
  constructor(
    readonly kind: GhlErrorKind,
    readonly status: number,
    message: string,
    /** Set for rate_limited: how long GHL asked us to wait. */
    readonly retryAfterMs?: number,
    /** The parsed error body, for logs (never contains our credentials). */
    readonly body?: unknown,
  ) {
    super(message);
  }
}

export function kindOfStatus(status: number): GhlErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 400 || status === 409 || status === 422) return 'validation';
  if (status === 429) return 'rate_limited';
  if (status === 408 || status >= 500 || status === 0) return 'transient';
  return 'unknown';
}

function messageOf(body: unknown, fallback: string): string {
  if (typeof body === 'string' && body.trim()) return body.trim().slice(0, 500);
  if (!body || typeof body !== 'object') return fallback;
  const b = body as Record<string, unknown>;
  const m = b.message ?? b.msg ?? b.error_description ?? b.error;
  if (Array.isArray(m)) return m.map(String).join('; ') || fallback;
  if (typeof m === 'string' && m) return m;
  return fallback;
}

function statusOf(body: unknown, httpStatus: number): number {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const s = b.statusCode ?? b.status;
    if (typeof s === 'number' && s >= 400 && s < 600) return s;
  }
  return httpStatus;
}

/** Builds the error for a non-2xx answer; the HTTP status wins over a body that disagrees with it. */
export function parseGhlError(httpStatus: number, body: unknown, retryAfterMs?: number): GhlError {
  const status = httpStatus >= 400 ? httpStatus : statusOf(body, httpStatus);
  const kind = kindOfStatus(status);
  return new GhlError(kind, status, messageOf(body, `GHL answered ${status}`), kind === 'rate_limited' ? retryAfterMs : undefined, body);
}

/**
 * Activity failures for Temporal: a revoked token or a bad request will not get better by
 * retrying (no retry storm), a 429 is retried after exactly the delay GHL asked for, and
 * network trouble or 5xx is retried on the activity's normal backoff.
 */
export function toActivityFailure(err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  if (!(err instanceof GhlError)) {
    const message = err instanceof Error ? err.message : String(err);
    return ApplicationFailure.create({ message, type: 'GhlError.unknown', nonRetryable: false, cause: err instanceof Error ? err : undefined });
  }
  const type = `GhlError.${err.kind}`;
  const details = [{ kind: err.kind, status: err.status }];
  switch (err.kind) {
    case 'auth':
    case 'not_found':
    case 'validation':
      return ApplicationFailure.create({ message: err.message, type, nonRetryable: true, details, cause: err });
    case 'rate_limited':
      return ApplicationFailure.create({
        message: err.message,
        type,
        nonRetryable: false,
        details,
        cause: err,
        nextRetryDelay: Math.max(1, err.retryAfterMs ?? 10_000),
      });
    default:
      return ApplicationFailure.create({ message: err.message, type, nonRetryable: false, details, cause: err });
  }
}
