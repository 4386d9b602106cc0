// A bot that follows its published graph, over HTTP on the real stack (API, a worker on the
// Temporal dev server, Postgres, the fake LLM and the fake GHL): the draft is saved and compiled
// for problems, publishing refuses errors, and a conversation walks the graph: a welcome, an
// email asked for (again after a wrong answer) and stored on the GHL contact, an AI agent that
// books through its tools until the booking goal is reached, a goal check, and the end.
import type { Client } from '@temporalio/client';
import type { Sql } from '../../db/client';
import { startFakeGhl, type FakeGhl } from '../../fakes/ghl';
import { startFakeLlm, type FakeLlm } from '../../fakes/llm';
import { conversationWorkflowId, stateQuery } from '../../workflows/bots/messages';
import { call, tokenFor } from '../helpers/api';
import { startApp, type RunningApp } from '../helpers/app';
import { testSql } from '../helpers/db';
import { createIntegration } from '../helpers/integrations';
import { createTenant, type Tenant } from '../helpers/tenants';
import { connectClient, startWorker, type RunningWorker } from '../helpers/worker';

const node = (id: string, type: string, data: Record<string, unknown> = {}) => ({ id, type, position: { x: 0, y: 0 }, data });
const edge = (source: string, target: string, sourceHandle?: string) => ({ id: `${source}-${sourceHandle ?? 'out'}-${target}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) });
const GRAPH = {
  nodes: [
    node('start', 'bot.start'),
    node('hello', 'bot.message', { text: 'Welcome to the studio!' }),
    node('email', 'bot.ask', { question: 'What is your email?', variable: 'email', expect: 'email', retries: 1, retryMessage: 'That is not an email address.', saveToContact: 'email' }),
    node('agent', 'bot.llm', { instructions: 'Offer a visit.', exitOnGoal: 'book', maxTurns: 3 }),
    node('booked', 'bot.goal', { goal: 'book' }),
    node('bye', 'bot.end', { message: 'See you soon, {{ vars.email }}!' }),
    node('human', 'bot.handoff', { message: 'A colleague will call you.' }),
  ],
  edges: [edge('start', 'hello'), edge('hello', 'email'), edge('email', 'agent'), edge('email', 'human', 'invalid'), edge('agent', 'booked'), edge('booked', 'bye', 'met'), edge('booked', 'human', 'not_met')],
};

describe('bot graphs', () => {
  let sql: Sql;
  let fake: FakeGhl;
  let llm: FakeLlm;
  let worker: RunningWorker;
  let app: RunningApp;
  let temporal: { client: Client; close: () => Promise<void> };
  let t: Tenant;
  let other: Tenant;
  let botId: string;
  let trainer: string;
  let viewer: string;
  let stranger: string;
  const api = (token: string, method: string, p: string, body?: unknown, orgId = t.orgId) => call(app.url, method, `/api/v1/orgs/${orgId}${p}`, { token, body });

  beforeAll(async () => {
    sql = testSql();
    fake = await startFakeGhl({ seed: { contacts: 4 } });
    llm = await startFakeLlm();
    worker = await startWorker({ ghl: { baseUrl: fake.url }, llm: { baseURL: llm.url, apiKey: llm.apiKey } });
    app = await startApp({ taskQueue: worker.taskQueue, ghl: { baseUrl: fake.url, webhookKeys: fake.keys } });
    temporal = await connectClient();
    t = await createTenant(sql, 'bot-graph');
    other = await createTenant(sql, 'bot-graph-other');
    await createIntegration(sql, t.orgId, { locationId: fake.locationId, token: fake.privateToken });
    const guardrails = { maxToolCallsPerTurn: 4, allowedTools: ['find_free_slots', 'book_appointment', 'handoff_to_human', 'end_conversation'] };
    const [bot] = await sql<{ id: string }[]>`
      insert into public.bots (organization_id, name, mode, goals, guardrails, reply_debounce_ms)
      values (${t.orgId}, 'Studio', 'auto', ${sql.json([{ id: 'book', name: 'Book a visit', kind: 'appointment_booked' }])}, ${sql.json(guardrails)}, 0) returning id`;
    botId = bot!.id;
    trainer = await tokenFor(app.auth, t.users.bot_trainer.userId);
    viewer = await tokenFor(app.auth, t.users.viewer.userId);
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

  it('saves a draft with its problems, refuses to publish errors, and publishes a clean graph as a version', async () => {
    const empty = await api(trainer, 'GET', `/bots/${botId}/graph`);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ definition: { nodes: [], edges: [] }, publishedVersion: null, updatedAt: null });

    const broken = { nodes: [...GRAPH.nodes, node('lost', 'bot.goal', { goal: 'nope' })], edges: GRAPH.edges };
    const saved = await api(trainer, 'PUT', `/bots/${botId}/graph`, { definition: broken });
    expect(saved.status).toBe(200);
    expect(saved.body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ nodeId: 'lost', severity: 'error' })]));
    const refused = await api(trainer, 'POST', `/bots/${botId}/graph/publish`);
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(/^definition\.nodes\.lost/) })]));
    expect((await sql<{ graph_version: number | null }[]>`select graph_version from public.bots where id = ${botId}`)[0]!.graph_version).toBeNull();

    expect((await api(viewer, 'PUT', `/bots/${botId}/graph`, { definition: GRAPH })).status).toBe(403);
    expect((await api(stranger, 'GET', `/bots/${botId}/graph`, undefined, t.orgId)).status).toBe(404);
    expect((await api(stranger, 'GET', `/bots/${botId}/graph`, undefined, other.orgId)).status).toBe(404);
    expect((await api(stranger, 'POST', `/bots/${botId}/graph/publish`, undefined, other.orgId)).status).toBe(404);

    expect((await api(trainer, 'PUT', `/bots/${botId}/graph`, { definition: GRAPH })).body.problems).toEqual([]);
    const published = await api(trainer, 'POST', `/bots/${botId}/graph/publish`);
    expect(published.status).toBe(200);
    expect(published.body).toEqual({ version: 1, problems: [] });
    expect((await api(viewer, 'GET', `/bots/${botId}/graph`)).body).toMatchObject({ publishedVersion: 1, definition: GRAPH });
  });

  it('walks the published graph: welcome, ask and check the email, let the agent book, check the goal, end', async () => {
    const ghlContact = [...fake.state.contacts.values()][0]!;
    const [contact] = await sql<{ id: string }[]>`insert into public.contacts (organization_id, ghl_contact_id, name) values (${t.orgId}, ${ghlContact.id}, 'Ada') returning id`;
    const calendarId = [...fake.state.calendars.keys()][0]!;
    const say = async (text: string) => {
      const res = await api(trainer, 'POST', `/bots/${botId}/chat`, { contactId: contact!.id, text, calendarId });
      expect(res.status).toBe(200);
      return res.body as { reply: string | null; status: string };
    };
    expect((await say('Hi')).reply).toBe('Welcome to the studio!\n\nWhat is your email?');
    expect((await say('I would rather not say')).reply).toBe('That is not an email address.');
    const afterEmail = await say("sure, it's Ada@Example.com");
    expect(afterEmail.reply).toContain('[sandbox model]');
    expect(fake.state.contacts.get(ghlContact.id)!.email).toBe('ada@example.com');

    const before = fake.state.appointments.size;
    const last = await say('Please book an appointment');
    expect(fake.state.appointments.size).toBe(before + 1);
    expect(last.reply).toMatch(/Booked[\s\S]*\n\nSee you soon, ada@example\.com!$/);
    expect(last.status).toBe('closed');

    const [session] = await sql<{ id: string; status: string; closed_reason: string; goal_state: Record<string, { reached: boolean }> }[]>`
      select id, status, closed_reason, goal_state from public.conversation_sessions where organization_id = ${t.orgId} and contact_id = ${contact!.id}`;
    expect(session).toMatchObject({ status: 'closed', closed_reason: 'bot', goal_state: { book: { reached: true } } });
    const replies = await sql<{ trace: { graph: { path: Array<{ id: string; handle?: string }>; vars: Record<string, unknown> } } }[]>`
      select trace from public.conversation_messages where session_id = ${session!.id} and role = 'assistant' order by created_at, id`;
    expect(replies).toHaveLength(4);
    expect(replies[3]!.trace.graph.path.map((s) => [s.id, s.handle])).toEqual([
      ['agent', 'out'],
      ['booked', 'met'],
      ['bye', undefined],
    ]);
    expect(replies[3]!.trace.graph.vars).toEqual({ email: 'ada@example.com' });
    const state = await temporal.client.workflow.getHandle(conversationWorkflowId(t.orgId, botId, contact!.id)).query(stateQuery);
    expect(state.status).toBe('closed');
  }, 90_000);

  it('hands off after the retries when no fitting answer comes, and new conversations stop following an unpublished graph', async () => {
    const ghlContact = [...fake.state.contacts.values()][1]!;
    const [contact] = await sql<{ id: string }[]>`insert into public.contacts (organization_id, ghl_contact_id, name) values (${t.orgId}, ${ghlContact.id}, 'Grace') returning id`;
    const say = async (contactId: string, text: string) => (await api(trainer, 'POST', `/bots/${botId}/chat`, { contactId, text })).body as { reply: string | null; status: string };
    await say(contact!.id, 'Hello');
    expect(await say(contact!.id, 'no')).toMatchObject({ reply: 'That is not an email address.', status: 'active' });
    expect(await say(contact!.id, 'still no')).toMatchObject({ reply: 'A colleague will call you.', status: 'handed_off' });

    expect((await api(trainer, 'POST', `/bots/${botId}/graph/unpublish`)).body).toEqual({ publishedVersion: null });
    const [third] = await sql<{ id: string }[]>`insert into public.contacts (organization_id, ghl_contact_id, name) values (${t.orgId}, ${[...fake.state.contacts.values()][2]!.id}, 'Alan') returning id`;
    const free = await say(third!.id, 'Hello');
    expect(free.reply).toContain('[sandbox model]');
    expect(free.reply).not.toContain('Welcome to the studio');
  }, 90_000);
});
