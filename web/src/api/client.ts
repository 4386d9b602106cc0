import { navigate } from '../router';
import { ApiError, toProblem, unreachable } from './problem';
import { clearSession, getSession, type Session, setSession } from './session';

const BASE = '/api/v1';
// Refresh shortly before expiry, so a request does not leave with a token about to lapse.
const EARLY_REFRESH_SECONDS = 30;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  body?: unknown;
  /** A file sent as the body itself (an upload), with its content type; instead of `body`. */
  upload?: { file: Blob; contentType: string };
  query?: Record<string, string | number | undefined>;
  /** false for calls made without a session: sign-up, login, refresh, invitation preview. */
  auth?: boolean;
  signal?: AbortSignal;
}

/**
 * One call to the API. Signed-in calls carry the access token; a 401 refreshes the session once
 * and retries, and when that fails too the user is sent to the login page. Errors are thrown
 * as ApiError holding the problem details.
 */
export async function api<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const url = buildUrl(path, options.query);
  if (options.auth === false) return parse<T>(await send(method, url, options));

  return parse<T>(await withAccessToken((token) => send(method, url, options, token)));
}

/**
 * A signed-in request `api` cannot make itself (an upload that reports progress, a file read as
 * a blob), with the same session handling: a fresh token, one refresh and retry on a 401, and the
 * login page when that fails too.
 */
export async function withAccessToken<R extends { status: number }>(request: (token: string) => Promise<R>): Promise<R> {
  let session = getSession();
  if (session && session.expiresAt - EARLY_REFRESH_SECONDS < Date.now() / 1000) session = await refreshed(session);
  if (!session) return signedOut();
  let res = await request(session.accessToken);
  if (res.status === 401) {
    const next = await refreshed(session);
    if (!next) return signedOut();
    res = await request(next.accessToken);
    if (res.status === 401) return signedOut();
  }
  return res;
}

function buildUrl(path: string, query: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `${BASE}${path}${qs ? `?${qs}` : ''}`;
}

async function send(method: Method, url: string, options: RequestOptions, token?: string): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.upload) headers['content-type'] = options.upload.contentType;
  if (token) headers.authorization = `Bearer ${token}`;
  try {
    return await fetch(url, {
      method,
      headers,
      body: options.upload ? options.upload.file : options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (options.signal?.aborted) throw err;
    throw unreachable(err);
  }
}

async function parse<T>(res: Response): Promise<T> {
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) throw new ApiError(toProblem(res.status, res.statusText, body));
  // The API's response schemas are the contract; the types in ./types mirror them.
  return body as T;
}

let inflight: Promise<Session | undefined> | undefined;

/**
 * A new session for one that stopped working, or undefined when it cannot be renewed. Reusing
 * a refresh token revokes the whole session, so concurrent requests share one refresh, and
 * tabs take turns through a Web Lock; whoever comes second finds the rotated token stored.
 */
function refreshed(stale: Session): Promise<Session | undefined> {
  inflight ??= withRefreshLock(async () => {
    const current = getSession();
    if (!current) return undefined;
    if (current.refreshToken !== stale.refreshToken) return current;
    const res = await send('POST', buildUrl('/auth/refresh', undefined), { body: { refreshToken: current.refreshToken } });
    if (res.status === 401) return undefined;
    // Anything else (429, 5xx) is not a verdict on the session: report it, stay signed in.
    const { session } = await parse<{ session: Session }>(res);
    setSession(session);
    return session;
  }).finally(() => {
    inflight = undefined;
  });
  return inflight;
}

async function withRefreshLock<T>(fn: () => Promise<T>): Promise<T> {
  return 'locks' in navigator ? await navigator.locks.request('flowline.refresh', fn) : fn();
}

function signedOut(): never {
  clearSession();
  const here = location.pathname + location.search;
  if (!['/login', '/signup'].includes(location.pathname)) navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true });
  throw new ApiError({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'Your session has ended: sign in again.' });
}
