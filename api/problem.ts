import type { ErrorRequestHandler, RequestHandler, Response } from 'express';

/** RFC 9457 problem details; every API error leaves through here. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
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
    // body-parser errors carry a status (400 bad JSON, 413 too large): they are the caller's fault.
    const status = typeof err === 'object' && err !== null && 'status' in err ? Number(err.status) : 500;
    if (status >= 500) log.error({ err }, 'unhandled error');
    sendProblem(res, {
      title: status >= 500 ? 'Internal Server Error' : 'Bad Request',
      status: status >= 400 && status < 600 ? status : 500,
      detail: status >= 500 ? 'An unexpected error occurred.' : err instanceof Error ? err.message : undefined,
    });
  };
}
