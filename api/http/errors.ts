import { STATUS_CODES } from 'node:http';
import type { z } from 'zod';
import type { Problem } from '../problem';

/** An error the caller can act on; leaves the API as problem+json. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    detail?: string,
    readonly errors?: Problem['errors'],
    readonly headers?: Record<string, string>,
    /** RFC 9457 extension members (e.g. the compiler's full `problems`). */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail ?? STATUS_CODES[status] ?? 'Error');
  }

  toProblem(): Problem {
    return {
      ...this.extensions,
      title: STATUS_CODES[this.status] ?? 'Error',
      status: this.status,
      detail: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

/** zod issues as field paths ("settings.timezone"); unknown keys get one entry each. */
export function validationErrors(error: z.ZodError, prefix?: string): NonNullable<Problem['errors']> {
  return error.issues.flatMap((issue) => {
    const base = [...(prefix ? [prefix] : []), ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ path: [...base, k].join('.'), message: 'Unknown field' }));
    }
    return [{ path: base.join('.'), message: issue.message }];
  });
}

interface PgError {
  code?: string;
  message?: string;
  detail?: string;
  constraint_name?: string;
}

function isPgError(err: unknown): err is PgError {
  return typeof err === 'object' && err !== null && 'code' in err && typeof (err as PgError).code === 'string' && 'severity' in err;
}

/**
 * Database refusals the schema raises on purpose, mapped to HTTP. FLxxx are our SQLSTATEs
 * (FL402 = plan limit). RLS refusals (42501) answer 404: from the outside, a row you may not
 * touch and a row that does not exist look the same.
 */
export function fromDatabaseError(err: unknown): HttpError | undefined {
  if (!isPgError(err)) return undefined;
  switch (err.code) {
    case 'FL402': {
      let limit: string | undefined;
      try {
        limit = (JSON.parse(err.detail ?? '{}') as { limit?: string }).limit;
      } catch {
        limit = undefined;
      }
      return new HttpError(402, `${err.message}. Upgrade the plan or remove something first.`, limit ? [{ path: limit, message: err.message ?? '' }] : undefined);
    }
    case 'FL403':
      return new HttpError(403, err.message);
    case 'FL404':
      return new HttpError(404, err.message);
    case 'FL409':
      return new HttpError(409, err.message);
    case '23505':
      return new HttpError(409, `Already exists (${err.constraint_name ?? 'unique constraint'})`);
    case '23503':
      return new HttpError(422, `A referenced record does not exist in this organization (${err.constraint_name ?? 'foreign key'})`);
    case '23514':
    case '22001':
      return new HttpError(422, `A value is out of range (${err.constraint_name ?? err.message ?? ''})`);
    case '42501':
      return new HttpError(err.message?.includes('row-level security') ? 404 : 403, err.message?.includes('row-level security') ? 'Not found' : err.message);
    default:
      return undefined;
  }
}
