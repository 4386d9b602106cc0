// The handoff queue and a bot's numbers over HTTP on the real stack: a real worker on the Temporal
// dev server runs the conversation against the fake LLM, and a person's reply on SMS leaves
// through the fake GHL's send-message API.
import { randomUUID } from 'node:crypto';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { DeliveryOutcome } from '../../activities/bots/channels';
import type { Sql } from '../../db/client';
import { startFakeGhl, type FakeGhl } from '../../fakes/ghl';
import { startFakeLlm, type FakeLlm } from '../../fakes/llm';
import { humanReplyWorkflowId } from '../../workflows/handoffs/human-reply';
import { call, tokenFor } from '../helpers/api';
import { startApp, type RunningApp } from '../helpers/app';
import { testSql } from '../helpers/db';
import { createIntegration } from '../helpers/integrations';
import { createTenant, type Tenant } from '../helpers/tenants';
import { connectClient, startWorker, type RunningWorker } from '../helpers/worker';
import { until } from '../helpers/until';

describe('handoffs to people and bot stats', () => {
  let sql: Sql;
  let fake: FakeGhl;
  let llm: FakeLlm;
  let worker: RunningWorker;
  let app: RunningApp;
  let temporal: { client: Client; close: () => Promise<void> };
  let t: Tenant;
  let other: Tenant;
  let botId: string;
  let contactId: string;
  let ghlContactId: string;
  let owner: string;
  let trainer: string;
  let viewer: string;
  let sales: string;
  let stranger: string;
  let sessionId: string;

  const api = (token: string, method: string, p: string, body?: unknown, orgId = t.orgId) => call(app.url, method, `/api/v1/orgs/${orgId}${p}`, { token, body });
  const chat = (text: string) => api(owner, 'POST', `/bots/${botId}/chat`, { contactId, text, channel: 'sms' });
  const outboundTo = (text: string) => [...fake.state.messages.values()].filter((m) => m.contactId === ghlContactId && m.direction === 'outbound' && m.body === text);
  const messages = (role: string) => sql<{ id: string; text: string; author_user_id: string | null; delivered_at: Date | null }[]>`
    select id, text, author_user_id, delivered_at from public.conversation_messages where session_id = ${sessionId} and role = ${role} order by created_at, id`;
  const session = async () => (await sql<{ status: string; assigned_user_id: string | null }[]>`select status, assigned_user_id from public.conversation_sessions where id = ${sessionId}`)[0]!;

  beforeAll(async () => {
    sql = testSql();
    fake = await startFakeGhl({ seed: { contacts: 3 } });
    llm = await startFakeLlm();
    worker = await startWorker({ ghl: { baseUrl: fake.url }, llm: { baseURL: llm.url, apiKey: llm.apiKey } });
    app = await startApp({ taskQueue: worker.taskQueue, ghl: { baseUrl: fake.url, webhookKeys: fake.keys } });
    temporal = await connectClient();
    t = await createTenant(sql, 'handoffs');
    other = await createTenant(sql, 'handoffs-other');
    await createIntegration(sql, t.orgId, { locationId: fake.locationId, token: fake.privateToken });
    const [bot] = await sql<{ id: string }[]>`
      insert into public.bots (organization_id, name, mode, channels, goals)
      values (${t.orgId}, 'Front desk', 'auto', '{sms}', ${sql.json([{ id: 'book_call', name: 'Book a call' }, { id: 'qualify', name: 'Qualify' }])}) returning id`;
    botId = bot!.id;
    ghlContactId = [...fake.state.contacts.values()].find((c) => c.phone && !c.dnd)!.id;
    const [contact] = await sql<{ id: string }[]>`
      insert into public.contacts (organization_id, ghl_contact_id, name) values (${t.orgId}, ${ghlContactId}, 'Ada Lovelace') returning id`;
    contactId = contact!.id;
    owner = await tokenFor(app.auth, t.users.owner.userId);
    trainer = await tokenFor(app.auth, t.users.bot_trainer.userId);
    viewer = await tokenFor(app.auth, t.users.viewer.userId);
    sales = await tokenFor(app.auth, t.users.sales.userId);
    stranger = await tokenFor(app.auth, other.users.owner.userId);
  }, 60_000);
  afterAll(async () => {
    await temporal?.close();
    await app?.close();
    await worker?.stop();
    await llm?.close();
    await fake?.close();
    await sql?.end();
  });

  it('takes a conversation over, keeps the bot silent, sends the person’s reply through GHL once, and hands it back', async () => {
    const first = await chat('Hello there');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'active', reply: expect.stringContaining('Hello there') });
    const [row] = await sql<{ id: string }[]>`select id from public.conversation_sessions where organization_id = ${t.orgId} and bot_id = ${botId}`;
    sessionId = row!.id;

    // Nobody is waiting yet.
    const empty = await api(trainer, 'GET', '/conversations/handoffs');
    expect(empty.status).toBe(200);
    expect(empty.body.items.map((h: { id: string }) => h.id)).not.toContain(sessionId);
    // A person cannot reply before taking over.
    expect((await api(trainer, 'POST', `/conversations/${sessionId}/reply`, { text: 'Too early' })).status).toBe(409);

    const taken = await api(trainer, 'POST', `/conversations/${sessionId}/take-over`);
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ id: sessionId, status: 'handed_off', assignedUserId: t.users.bot_trainer.userId, assignedToMe: true, botName: 'Front desk', contactName: 'Ada Lovelace', channel: 'sms' });
    expect(await session()).toEqual({ status: 'handed_off', assigned_user_id: t.users.bot_trainer.userId });
    // Taking it again is a no-op; another person finds it taken.
    expect((await api(trainer, 'POST', `/conversations/${sessionId}/take-over`)).status).toBe(200);
    expect((await api(owner, 'POST', `/conversations/${sessionId}/take-over`)).status).toBe(409);

    const queue = await api(owner, 'GET', '/conversations/handoffs');
    expect(queue.status).toBe(200);
    expect(queue.body.items).toEqual([
      expect.objectContaining({ id: sessionId, botId, botName: 'Front desk', contactId, contactName: 'Ada Lovelace', channel: 'sms', assignedToMe: false, lastMessage: expect.objectContaining({ role: 'assistant', text: first.body.reply }) }),
    ]);

    // The contact writes again: stored, and the bot stays silent.
    const silent = await chat('Is anyone there?');
    expect(silent.body).toMatchObject({ reply: null, status: 'handed_off' });
    expect((await messages('assistant')).length).toBe(1);

    const text = `A person here ${randomUUID().slice(0, 8)}`;
    const reply = await api(trainer, 'POST', `/conversations/${sessionId}/reply`, { text, idempotencyKey: 'reply-1' });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ message: { role: 'human_agent', channel: 'sms', text }, delivery: 'queued', duplicate: false });
    const delivered = await until('the reply to be delivered', async () => {
      try {
        return (await temporal.client.workflow.getHandle(humanReplyWorkflowId(t.orgId, reply.body.message.id)).result()) as DeliveryOutcome;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      }
    });
    expect(delivered).toMatchObject({ status: 'sent', replyId: reply.body.message.id });
    // The same reply sent again (a retry) is the same message, stored and sent once.
    const again = await api(trainer, 'POST', `/conversations/${sessionId}/reply`, { text, idempotencyKey: 'reply-1' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ message: { id: reply.body.message.id }, duplicate: true });
    const people = await messages('human_agent');
    expect(people).toEqual([expect.objectContaining({ id: reply.body.message.id, text, author_user_id: t.users.bot_trainer.userId, delivered_at: expect.any(Date) })]);
    expect(outboundTo(text)).toHaveLength(1);
    expect(outboundTo(text)[0]).toMatchObject({ type: 'SMS' });

    const back = await api(trainer, 'POST', `/conversations/${sessionId}/hand-back`);
    expect(back.status).toBe(200);
    expect(back.body).toEqual({ id: sessionId, status: 'active' });
    expect(await session()).toEqual({ status: 'active', assigned_user_id: null });
    expect((await api(trainer, 'POST', `/conversations/${sessionId}/hand-back`)).status).toBe(200);
    expect((await api(trainer, 'POST', `/conversations/${sessionId}/reply`, { text: 'Too late' })).status).toBe(409);
    expect((await api(owner, 'GET', '/conversations/handoffs')).body.items).toEqual([]);

    // The bot answers again, and it saw the person's reply.
    const answered = await chat('Thanks, one more question');
    expect(answered.body).toMatchObject({ status: 'active', reply: expect.stringContaining('one more question') });
    expect(llm.requests[llm.requests.length - 1]!.messages).toContainEqual({ role: 'assistant', content: text });
  });

  it('answers roles as the RBAC matrix says, and another organization 404', async () => {
    const sessionPath = `/conversations/${sessionId}`;
    expect((await api(viewer, 'GET', '/conversations/handoffs')).status).toBe(200);
    expect((await api(viewer, 'GET', `/bots/${botId}/stats`)).status).toBe(200);
    for (const action of ['take-over', 'reply', 'hand-back']) {
      const body = action === 'reply' ? { text: 'Hi' } : undefined;
      expect({ action, status: (await api(viewer, 'POST', `${sessionPath}/${action}`, body)).status }).toEqual({ action, status: 403 });
      expect({ action, status: (await api(sales, 'POST', `${sessionPath}/${action}`, body)).status }).toEqual({ action, status: 403 });
      // Another organization's owner, in their own organization with this one's session: 404.
      const res = await api(stranger, 'POST', `${sessionPath}/${action}`, body, other.orgId);
      expect({ action, status: res.status }).toEqual({ action, status: 404 });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await api(sales, 'GET', '/conversations/handoffs')).status).toBe(403);
    expect((await api(stranger, 'GET', `/bots/${botId}/stats`, undefined, other.orgId)).status).toBe(404);
    expect((await api(stranger, 'GET', '/conversations/handoffs', undefined, t.orgId)).status).toBe(404);
    const theirs = await api(stranger, 'GET', '/conversations/handoffs', undefined, other.orgId);
    expect(theirs.body.items).toEqual([]);
    expect(await session()).toEqual({ status: 'active', assigned_user_id: null });
  });

  it('counts what was done, within the window asked for', async () => {
    // An older conversation that reached a goal and closed: 40 days ago, with one message.
    const [old] = await sql<{ id: string }[]>`
      insert into public.conversation_sessions (organization_id, bot_id, contact_id, channel, status, goal_state, closed_at, closed_reason, handed_off_at, created_at)
      values (${t.orgId}, ${botId}, ${contactId}, 'sms', 'closed', ${sql.json({ book_call: { reached: true }, qualify: { reached: false } })},
        now() - interval '39 days', 'bot', now() - interval '40 days', now() - interval '40 days') returning id`;
    await sql`insert into public.conversation_messages (organization_id, session_id, role, channel, text, created_at)
      values (${t.orgId}, ${old!.id}, 'user', 'sms', 'Book me', now() - interval '40 days')`;

    const recent = await api(trainer, 'GET', `/bots/${botId}/stats?days=30`);
    expect(recent.status).toBe(200);
    // The conversation above: 3 contact messages, 2 bot replies, 1 person's reply, one handoff.
    expect(recent.body).toEqual({
      botId,
      days: 30,
      conversations: { total: 1, active: 1, handedOff: 0, closed: 0 },
      goals: { completed: 0, completionRate: 0, byGoal: [{ id: 'book_call', name: 'Book a call', reached: 0 }, { id: 'qualify', name: 'Qualify', reached: 0 }] },
      handoffs: 1,
      messages: { total: 6, contact: 3, bot: 2, human: 1 },
    });

    const all = await api(viewer, 'GET', `/bots/${botId}/stats`);
    expect(all.body).toEqual({
      botId,
      days: null,
      conversations: { total: 2, active: 1, handedOff: 0, closed: 1 },
      goals: { completed: 1, completionRate: 0.5, byGoal: [{ id: 'book_call', name: 'Book a call', reached: 1 }, { id: 'qualify', name: 'Qualify', reached: 0 }] },
      handoffs: 2,
      messages: { total: 7, contact: 4, bot: 2, human: 1 },
    });

    const bad = await api(trainer, 'GET', `/bots/${botId}/stats?days=0`);
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toContain('days');
  });
});
