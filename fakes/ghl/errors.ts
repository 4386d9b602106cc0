/*
 * GHL's services are NestJS apps: errors answer `{ statusCode, message, error }`, with `message`
 * an array of strings for validation failures (UnprocessableDTO), a string otherwise.
 */
const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export class FakeGhlError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(typeof body === 'object' && body && 'message' in body ? String((body as { message: unknown }).message) : `HTTP ${status}`);
  }
}

export function errorBody(status: number, message: string | string[], extra: Record<string, unknown> = {}) {
  return { statusCode: status, message, error: REASONS[status] ?? 'Error', ...extra };
}

export const fail = (status: number, message: string | string[], extra?: Record<string, unknown>) =>
  new FakeGhlError(status, errorBody(status, message, extra));

/** 422 with the class-validator style messages GHL answers. */
export const invalid = (...messages: string[]) => fail(422, messages);
export const notFound = (message: string) => fail(404, message);
