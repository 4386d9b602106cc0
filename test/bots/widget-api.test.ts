// A bot's web-chat widget over HTTP on the real stack (API, Temporal worker, the fake LLM):
// members enable it and list the sites allowed to embed it; site visitors (no Flowline
// account) start a session, chat, and read only their own conversation.
import type { Sql } from '../../db/client';
import { startFakeLlm, type FakeLlm } from '../../fakes/llm';
import { call, tokenFor } from '../helpers/api';
import { startApp, type RunningApp } from '../helpers/app';
import { testSql } from '../helpers/db';
import { createTenant, type Tenant } from '../helpers/tenants';
import { startWorker, type RunningWorker } from '../helpers/worker';

const SITE = 'https://studio.example';

describe('the bot web-chat widget API', () => {
  let sql: Sql;
  let llm: FakeLlm;
  let worker: RunningWorker;
  let app: RunningApp;
  let t: Tenant;
  let other: Tenant;
  let trainer: string;
  let viewer: string;
  let stranger: string;
  let botId: string;
  let key: string;

  const member = (token: string, method: string, p: string, body?: unknown, orgId = t.orgId) => call(app.url, method, `/api/v1/orgs/${orgId}${p}`, { token, body });
  const widget = (k: string, method: string, p: string, opts: { token?: string; body?: unknown; origin?: string } = {}) =>
    call(app.url, method, `/api/v1/widget/${k}${p}`, { token: opts.token, body: opts.body, headers: opts.origin ? { origin: opts.origin } : {} });
  const startSession = async (body: unknown = {}) => {
    const res = await widget(key, 'POST', '/sessions', { body });
    expect(res.status).toBe(201);
    return res.body as { visitorId: string; token: string };
  };

  beforeAll(async () => {
    sql = testSql();
    llm = await startFakeLlm();
    worker = await startWorker({ llm: { baseURL: llm.url, apiKey: llm.apiKey } });
    app = await startApp({ taskQueue: worker.taskQueue });
    t = await createTenant(sql, 'widget');
    other = await createTenant(sql, 'widget-other');
    trainer = await tokenFor(app.auth, t.users.bot_trainer.userId);
    viewer = await tokenFor(app.auth, t.users.viewer.userId);
    stranger = await tokenFor(app.auth, other.users.owner.userId);
    const [bot] = await sql<{ id: string }[]>`
      insert into public.bots (organization_id, name, mode, channels, persona) values (${t.orgId}, 'Studio assistant', 'auto', '{web}', 'A friendly studio assistant.') returning id`;
    botId = bot!.id;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await worker?.stop();
    await llm?.close();
    await sql?.end();
  });

  it('is off until a member enables it; enabling makes a key; only bots:update may', async () => {
    expect((await member(trainer, 'GET', `/bots/${botId}/widget`)).body).toEqual({ enabled: false, key: null, allowedOrigins: [] });
    expect((await member(viewer, 'PATCH', `/bots/${botId}/widget`, { enabled: true })).status).toBe(403);
    expect((await member(stranger, 'PATCH', `/bots/${botId}/widget`, { enabled: true }, other.orgId)).status).toBe(404);
    const bad = await member(trainer, 'PATCH', `/bots/${botId}/widget`, { allowedOrigins: ['https://studio.example/path'] });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe('allowedOrigins.0');
    const on = await member(trainer, 'PATCH', `/bots/${botId}/widget`, { enabled: true, allowedOrigins: [SITE] });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ enabled: true, key: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/), allowedOrigins: [SITE] });
    key = on.body.key;
    expect((await member(viewer, 'GET', `/bots/${botId}/widget`)).body).toEqual(on.body);
  });

  it("answers a visitor's message with the bot's reply and stores both in the conversation", async () => {
    const visitor = await startSession({ name: 'Site Visitor', email: 'visitor@example.test' });
    const [contact] = await sql`select organization_id, name, email, source from public.contacts where id = ${visitor.visitorId}`;
    expect(contact).toEqual({ organization_id: t.orgId, name: 'Site Visitor', email: 'visitor@example.test', source: 'web_widget' });

    const res = await widget(key, 'POST', '/messages', { token: visitor.token, body: { text: 'Do you travel for weddings?' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ reply: expect.stringContaining('[sandbox model]'), status: 'active' });
    const stored = await sql<{ role: string; channel: string; text: string }[]>`
      select m.role, m.channel, m.text from public.conversation_messages m
      join public.conversation_sessions s on s.organization_id = m.organization_id and s.id = m.session_id
      where s.organization_id = ${t.orgId} and s.bot_id = ${botId} and s.contact_id = ${visitor.visitorId} order by m.created_at, m.id`;
    expect(stored).toEqual([
      { role: 'user', channel: 'web', text: 'Do you travel for weddings?' },
      { role: 'assistant', channel: 'web', text: res.body.reply },
    ]);

    // The visitor's own transcript; a returning visitor (same token) keeps their contact.
    const history = await widget(key, 'GET', '/messages', { token: visitor.token });
    expect(history.body.messages.map((m: { role: string; text: string }) => [m.role, m.text])).toEqual([
      ['user', 'Do you travel for weddings?'],
      ['assistant', res.body.reply],
    ]);
    const again = await widget(key, 'POST', '/sessions', { token: visitor.token, body: {} });
    expect(again.status).toBe(200);
    expect(again.body.visitorId).toBe(visitor.visitorId);
  }, 120_000);

  it("never shows a visitor another visitor's conversation", async () => {
    const ada = await startSession();
    const bob = await startSession();
    expect(ada.visitorId).not.toBe(bob.visitorId);
    expect((await widget(key, 'POST', '/messages', { token: ada.token, body: { text: 'My secret is 42' } })).status).toBe(200);
    const bobs = await widget(key, 'GET', '/messages', { token: bob.token });
    expect(bobs.status).toBe(200);
    expect(bobs.body.messages).toEqual([]);
    // A token is the visitor: no id in the request can name another one.
    expect((await widget(key, 'GET', '/messages')).status).toBe(401);
    const forged = `${ada.token.slice(0, -4)}AAAA`;
    expect((await widget(key, 'GET', '/messages', { token: forged })).status).toBe(401);
    // A member's access token is not a visitor token.
    expect((await widget(key, 'GET', '/messages', { token: trainer })).status).toBe(401);
  }, 120_000);

  it('refuses empty and huge messages with problem+json', async () => {
    const v = await startSession();
    const empty = await widget(key, 'POST', '/messages', { token: v.token, body: { text: '   ' } });
    expect(empty.status).toBe(400);
    expect(empty.headers.get('content-type')).toContain('application/problem+json');
    expect(empty.body.errors[0].path).toBe('text');
    const huge = await widget(key, 'POST', '/messages', { token: v.token, body: { text: 'x'.repeat(4001) } });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toContain('application/problem+json');
  });

  it('limits each visitor, not every visitor, to 30 requests a minute', async () => {
    const busy = await startSession();
    const calm = await startSession();
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await widget(key, 'GET', '/messages', { token: busy.token })).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    const limited = await widget(key, 'GET', '/messages', { token: busy.token });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect(statuses[30]).toBe(429);
    expect((await widget(key, 'GET', '/messages', { token: calm.token })).status).toBe(200);
  });

  it('sends CORS headers to the allowed origins only', async () => {
    const allowed = await widget(key, 'POST', '/sessions', { body: {}, origin: SITE });
    expect(allowed.status).toBe(201);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SITE);
    const elsewhere = await widget(key, 'POST', '/sessions', { body: {}, origin: 'https://evil.example' });
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();

    const preflight = (origin: string) =>
      fetch(`${app.url}/api/v1/widget/${key}/messages`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
    const ok = await preflight(SITE);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(ok.headers.get('access-control-allow-headers')).toContain('Authorization');
    const refused = await preflight('https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();

    // The widget page may be framed by the allowed sites only.
    const page = await fetch(`${app.url}/widget/${key}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(`frame-ancestors 'self' ${SITE}`);
    expect(await page.text()).toContain('Studio assistant');
  });

  it('answers 404 for an unknown key, a disabled widget, and a rotated key', async () => {
    const wrong = await widget('A'.repeat(32), 'POST', '/sessions', { body: {} });
    expect(wrong.status).toBe(404);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    expect((await widget('not-a-key', 'POST', '/sessions', { body: {} })).status).toBe(404);
    expect((await fetch(`${app.url}/widget/${'A'.repeat(32)}`)).status).toBe(404);

    const v = await startSession();
    expect((await member(trainer, 'PATCH', `/bots/${botId}/widget`, { enabled: false })).status).toBe(200);
    expect((await widget(key, 'POST', '/sessions', { body: {} })).status).toBe(404);
    expect((await widget(key, 'POST', '/messages', { token: v.token, body: { text: 'Hello?' } })).status).toBe(404);
    expect((await fetch(`${app.url}/widget/${key}`)).status).toBe(404);

    // Enabled again, then rotated: the old key and its visitors' tokens stop working.
    await member(trainer, 'PATCH', `/bots/${botId}/widget`, { enabled: true });
    const rotated = await member(trainer, 'POST', `/bots/${botId}/widget/rotate-key`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.key).not.toBe(key);
    expect((await widget(key, 'POST', '/sessions', { body: {} })).status).toBe(404);
    expect((await widget(rotated.body.key, 'GET', '/messages', { token: v.token })).status).toBe(401);
    key = rotated.body.key;
    expect((await startSession()).visitorId).toEqual(expect.any(String));
  });

  it("keeps another organization's widget settings out of reach", async () => {
    expect((await member(stranger, 'GET', `/bots/${botId}/widget`, undefined, other.orgId)).status).toBe(404);
    expect((await member(stranger, 'POST', `/bots/${botId}/widget/rotate-key`, undefined, other.orgId)).status).toBe(404);
    expect((await member(stranger, 'GET', `/bots/${botId}/widget`)).status).toBe(404);
    expect((await member(stranger, 'PATCH', `/bots/${botId}/widget`, { enabled: false, allowedOrigins: ['https://evil.example'] })).status).toBe(404);
    // Nothing changed: the widget still answers, with the same key and sites.
    const [row] = await sql`select widget_enabled, widget_key, widget_allowed_origins from public.bots where id = ${botId}`;
    expect(row).toEqual({ widget_enabled: true, widget_key: key, widget_allowed_origins: [SITE] });
  });
});
