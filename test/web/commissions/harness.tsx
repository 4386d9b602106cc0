import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { ToastProvider } from '../../../web/src/components/Toasts';
import { MeProvider } from '../../../web/src/me';
import { ME, ORG_ID, TEAM } from './fixtures';

export interface ApiCall {
  method: string;
  /** Under /api/v1, without the query. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string>;
}

export interface Reply {
  status?: number;
  /** Sent as JSON unless `text` is given. */
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

type Handler = (call: ApiCall) => Reply;

/**
 * The API as the browser meets it: `fetch`. Routes are "METHOD /path" (under /api/v1, no query);
 * /me and the team answer by default. Every call is recorded; an unknown route answers 404.
 */
export function mockApi(routes: Record<string, Handler>) {
  const calls: ApiCall[] = [];
  const all: Record<string, Handler> = {
    'GET /me': () => ({ body: ME }),
    [`GET /orgs/${ORG_ID}/team-members`]: () => ({ body: { items: TEAM, nextCursor: null } }),
    ...routes,
  };
  const fetchMock = jest.fn(async (input: string, init: { method?: string; body?: string | Blob; headers?: Record<string, string> } = {}) => {
    const url = new URL(input, 'http://localhost');
    const call: ApiCall = {
      method: init.method ?? 'GET',
      path: url.pathname.replace(/^\/api\/v1/, ''),
      query: url.searchParams,
      // JSON, or an uploaded file as it was sent.
      body: typeof init.body === 'string' ? JSON.parse(init.body) : init.body,
      headers: init.headers ?? {},
    };
    calls.push(call);
    const handler = all[`${call.method} ${call.path}`];
    const reply: Reply = handler ? handler(call) : { status: 404, body: { type: 'about:blank', title: 'Not Found', status: 404, detail: `${call.method} ${call.path}` } };
    return fakeResponse(reply);
  });
  globalThis.fetch = fetchMock as unknown as typeof fetch;
  return {
    calls,
    /** The calls to one route ("POST /orgs/o1/commissions/approve"). */
    to: (route: string) => calls.filter((c) => `${c.method} ${c.path}` === route),
  };
}

function fakeResponse({ status = 200, body, text, headers = {} }: Reply) {
  const payload = text ?? (body === undefined ? '' : JSON.stringify(body));
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: '',
    headers: { get: (name: string) => lower[name.toLowerCase()] ?? null },
    text: async () => payload,
    json: async () => JSON.parse(payload),
    blob: async () => new Blob([payload], { type: lower['content-type'] ?? 'application/json' }),
  };
}

/** A signed-in session (the client refuses to call without one) and the <dialog> methods jsdom lacks. */
export function setUpBrowser() {
  localStorage.setItem(
    'flowline.session',
    JSON.stringify({ accessToken: 'test-token', refreshToken: 'refresh', tokenType: 'bearer', expiresIn: 3600, expiresAt: Math.floor(Date.now() / 1000) + 3600 }),
  );
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    if (!this.hasAttribute('open')) return;
    this.removeAttribute('open');
    this.dispatchEvent(new Event('close'));
  };
}

/** Renders a page inside the providers the app puts above every page. */
export function renderPage(ui: ReactElement, options: { advanceTimers?: (ms: number) => void } = {}) {
  const user = userEvent.setup(options.advanceTimers ? { advanceTimers: options.advanceTimers } : {});
  const result = render(
    <MeProvider>
      <ToastProvider>{ui}</ToastProvider>
    </MeProvider>,
  );
  return { ...result, user };
}
