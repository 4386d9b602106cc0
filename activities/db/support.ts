import { ApplicationFailure } from '@temporalio/common';
import type { Sql } from '../../db/client';
import { type Tx, withClaims } from '../../db/tenant';

/**
 * Runs `fn` as the worker role for one organization, so RLS bounds every statement exactly as
 * for a user's request. Errors the database raises because of the data itself (integrity, a
 * refused privilege or policy, an invalid value, a product rule) become non-retryable activity
 * failures: retrying the same statement cannot succeed. Connection loss, deadlocks and
 * serialization failures stay retryable.
 */
export async function asWorker<T>(sql: Sql, orgId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await withClaims(sql, { role: 'worker', org_id: orgId }, fn);
  } catch (err) {
    throw toActivityFailure(err);
  }
}

/** SQLSTATE classes that describe the request, not the moment: 22 data, 23 integrity, 42 access/syntax, FL product rules. */
const PERMANENT_SQLSTATE = /^(22|23|42|FL)/;

export function toActivityFailure(err: unknown): unknown {
  if (err instanceof ApplicationFailure) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (err instanceof Error && typeof code === 'string' && PERMANENT_SQLSTATE.test(code)) {
    return ApplicationFailure.create({
      message: err.message,
      type: 'DatabaseRefused',
      nonRetryable: true,
      details: [{ sqlstate: code }],
      cause: err,
    });
  }
  return err;
}

/** A non-retryable "not found in this organization": the row is missing or belongs to another one. */
export function notFound(what: string): ApplicationFailure {
  return ApplicationFailure.create({ message: `${what} not found in this organization`, type: 'NotFound', nonRetryable: true });
}

/**
 * JSON text for a jsonb parameter; null for undefined/null. Bind it as `${text}::text::jsonb`:
 * with a bare `::jsonb` cast the driver would JSON-encode the text a second time. Postgres'
 * jsonb cannot hold the NUL character, so NULs inside strings become U+FFFD instead of failing
 * the write.
 */
export function toJsonText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' && v.includes('\u0000') ? v.replaceAll('\u0000', '\uFFFD') : v));
  return text === undefined ? null : text;
}
