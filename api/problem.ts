import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { fromDatabaseError, HttpError } from './http/errors';

/** RFC 9457 problem details; every API error leaves through here. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

export function sendProblem(res: Response, problem: Problem): void {
  res
    .status(problem.status)
    .type('application/problem+json')
    .json({ type: 'about:blank', ...problem });
}

export const notFound: RequestHandler = (req, res) => {
  sendProblem(res, { title: 'Not Found', status: 404, detail: `No route for ${req.method} ${req.path}` });
};

export function errorHandler(log: { error: (obj: unknown, msg: string) => void }): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    const known = err instanceof HttpError ? err : fromDatabaseError(err);
    if (known) {
      for (const [name, value] of Object.entries(known.headers ?? {})) res.setHeader(name, value);
      sendProblem(res, known.toProblem());
      return;
    }
    // body-parser errors carry a status (400 bad JSON, 413 too large): they are the caller's fault.
    const status = typeof err === 'object' && err !== null && 'status' in err ? Number(err.status) : 500;
    const clientError = status >= 400 && status < 500;
    if (!clientError) log.error({ err }, 'unhandled error');
    sendProblem(res, {
      title: clientError ? (STATUS_CODES[status] ?? 'Bad Request') : 'Internal Server Error',
      status: clientError ? status : 500,
      detail: clientError && err instanceof Error ? err.message : clientError ? undefined : 'An unexpected error occurred.',
    });
  };
}
