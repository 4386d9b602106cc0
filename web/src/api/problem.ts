// RFC 9457 problem details, as every API error arrives (api/problem.ts sends them).
export interface FieldProblem {
  /** The request field at fault, dotted: `email`, `settings.timezone`. */
  path: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldProblem[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
  }

  get status(): number {
    return this.problem.status;
  }

  /** Messages by field path; a path with several problems gets them joined. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) out[e.path] = out[e.path] ? `${out[e.path]} ${e.message}` : e.message;
    return out;
  }
}

function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.title === 'string' && typeof v.status === 'number';
}

/** Whatever an error response carried, as a problem (proxies and crashes do not send problem+json). */
export function toProblem(status: number, statusText: string, body: unknown): Problem {
  if (isProblem(body)) return { ...body, type: body.type ?? 'about:blank' };
  return { type: 'about:blank', title: statusText || 'Error', status, detail: `The server answered ${status}${statusText ? ` ${statusText}` : ''}.` };
}

/** fetch itself failed: offline, DNS, the API is down. */
export function unreachable(err: unknown): ApiError {
  const reason = err instanceof Error ? err.message : String(err);
  return new ApiError({ type: 'about:blank', title: 'Cannot reach the server', status: 0, detail: `Cannot reach the server (${reason}).` });
}
