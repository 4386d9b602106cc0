/*
 * OpenAI answers every error as `{ error: { message, type, param, code } }`. Validation throws
 * `LlmApiError`; the server turns it into that body with the status it carries.
 */
export class LlmApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = 'invalid_request_error',
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body() {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** 400 naming the offending parameter, as OpenAI's request validation does. */
export const invalid = (param: string | null, message: string, code: string | null = null) =>
  new LlmApiError(400, message, 'invalid_request_error', param, code);

export const missing = (param: string) => invalid(param, `Missing required parameter: '${param}'.`, 'missing_required_parameter');

export const invalidType = (param: string, expected: string) =>
  invalid(param, `Invalid type for '${param}': expected ${expected}.`, 'invalid_type');

export const invalidValue = (param: string, value: unknown, supported: readonly string[]) =>
  invalid(
    param,
    `Invalid value: '${String(value)}'. Supported values are: ${supported.map((s) => `'${s}'`).join(', ')}.`,
    'invalid_value',
  );
