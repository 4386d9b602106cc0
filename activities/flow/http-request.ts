import { Context } from '@temporalio/activity';
import type { StepContext } from '../../workflows/flow/steps';
import { permanent, transient } from './failures';
import { refusedDestination } from './network-policy';

export interface HttpRequestConfig {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  url: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
  expectedStatus?: number[];
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface HttpDeps {
  allowPrivateNetworks: boolean;
  /** Response bodies above this are refused (a flow step is not a download manager). */
  maxResponseBytes: number;
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

export async function httpRequest(deps: HttpDeps, _ctx: StepContext, config: HttpRequestConfig): Promise<HttpResponse> {
  const attempt = Context.current().info.attempt;
  let url: URL;
  try {
    url = new URL(config.url);
  } catch {
    throw permanent(`Invalid URL: ${String(config.url)}`, attempt);
  }
  for (const [k, v] of Object.entries(config.query ?? {})) url.searchParams.append(k, String(v));
  const refused = await refusedDestination(url, deps.allowPrivateNetworks).catch((err: Error) => `cannot resolve ${url.hostname}: ${err.message}`);
  if (refused) throw permanent(`Request refused: ${refused}`, attempt);

  const headers = new Headers(config.headers ?? {});
  let body: string | undefined;
  if (config.body !== undefined && config.body !== null && config.method !== 'GET' && config.method !== 'HEAD') {
    if (typeof config.body === 'string') body = config.body;
    else {
      body = JSON.stringify(config.body);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method: config.method,
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.any([AbortSignal.timeout(config.timeoutMs ?? 30_000), Context.current().cancellationSignal]),
    });
  } catch (err) {
    throw transient(`${config.method} ${url.origin}${url.pathname} failed: ${(err as Error).message}`, attempt);
  }
  const text = await readLimited(res, deps.maxResponseBytes, attempt);
  const contentType = res.headers.get('content-type') ?? '';
  let parsed: unknown = text;
  if (contentType.includes('json') && text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  const response: HttpResponse = { status: res.status, headers: Object.fromEntries(res.headers), body: parsed };
  const expected = config.expectedStatus?.length ? config.expectedStatus.includes(res.status) : res.status >= 200 && res.status < 300;
  if (!expected) {
    const message = `${config.method} ${url.origin}${url.pathname} answered ${res.status}`;
    throw RETRYABLE_STATUS.has(res.status) ? transient(message, attempt, { response }) : permanent(message, attempt, { response });
  }
  return response;
}

async function readLimited(res: Response, max: number, attempt: number): Promise<string> {
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > max) throw permanent(`Response of ${length} bytes is over the ${max}-byte limit`, attempt);
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw permanent(`Response is over the ${max}-byte limit`, attempt);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
