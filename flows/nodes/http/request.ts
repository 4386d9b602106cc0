import { z } from 'zod';
import { headerMap, httpUrl, retryOverride, stringMap } from '../../schemas';
import { DEFAULT_HANDLE, type NodeType } from '../../types';

const config = z
  .strictObject({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).meta({ title: 'Method', description: 'HTTP method.' }),
    url: httpUrl().meta({ title: 'URL', description: 'An http(s) URL; may use {{ … }} expressions.', 'x-ui': 'expression' }),
    headers: headerMap().default({}).meta({ title: 'Headers', description: 'Request headers; values may be {{ … }} expressions.', 'x-ui': 'expression' }),
    query: stringMap().default({}).meta({ title: 'Query parameters', description: 'Added to the URL; values may be {{ … }} expressions.', 'x-ui': 'expression' }),
    /** JSON body; strings inside may be templates. */
    body: z.json().optional().meta({ title: 'Body', description: 'JSON body (not for GET or HEAD); strings inside may be {{ … }} expressions.' }),
    /** Per attempt. */
    timeoutMs: z.int().min(1).max(300_000).default(30_000).meta({ title: 'Timeout (ms)', description: 'Per attempt, in milliseconds.' }),
    /** Statuses that count as success; absent = any 2xx. */
    expectedStatus: z.array(z.int().min(100).max(599)).min(1).max(100).optional().meta({ title: 'Expected statuses', description: 'Statuses that count as success, comma-separated; empty means any 2xx.' }),
    retry: retryOverride().optional().meta({ title: 'Retry', description: 'Overrides of the retry policy; unset fields keep the default.' }),
  })
  .superRefine((value, ctx) => {
    if ((value.method === 'GET' || value.method === 'HEAD') && value.body !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['body'], message: `a ${value.method} request has no body` });
    }
  });

export type HttpRequestConfig = z.infer<typeof config>;

export const httpRequest: NodeType<HttpRequestConfig> = {
  type: 'http.request',
  version: 1,
  label: 'HTTP request',
  group: 'http',
  description: 'Calls an HTTP API; its output is the status, headers and body of the response.',
  config,
  handles: () => [DEFAULT_HANDLE],
  inputs: 'any',
  errorHandle: true,
  runtime: { kind: 'activity', activity: 'httpRequest' },
  // Network failures, 429 and 5xx are retried; other unexpected statuses fail at once.
  retry: { maximumAttempts: 3, initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 30_000 },
  timeoutMs: 30_000,
};
