// Bot conversations on the real stack: a worker on the Temporal dev server, real Postgres, the
// fake LLM (sandbox model) and the fake GHL. Messages go in through the API's update-with-start.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { sendBotMessage, type SendBotMessageInput } from '../../api/bots/conversation';
import type { Sql } from '../../db/client';
import { startFakeGhl, type FakeGhl } from '../../fakes/ghl';
import { startFakeLlm, type FakeLlm } from '../../fakes/llm';
import { conversationWorkflowId, resumeSignal, stateQuery } from '../../workflows/bots/messages';
import { testSql } from '../helpers/db';
import { createIntegration } from '../helpers/integrations';
import { createTenant } from '../helpers/tenants';
import { connectClient, startWorker, type RunningWorker } from '../helpers/worker';

const GOALS = [
  { id: 'book', name: 'Book a visit', description: '', kind: 'appointment_booked' },
  { id: 'email', name: 'Collect the email', description: '', kind: 'contact_field', field: 'email' },
];
const FALLBACK = 'Sorry, our assistant is unavailable: we will get back to you.';

describe('bot conversations', () => {
  let sql: Sql;
  let ghl: FakeGhl;
  let llm: FakeLlm;
  let worker: RunningWorker;
  let temporal: { client: Client; close: () => Promise<void> };
  let orgId: string;
  let botId: string;
  let calendarId: string;
  beforeAll(async () => {
    sql = testSql();
    ghl = await startFakeGhl({ seed: { contacts: 8 } });
    llm = await startFakeLlm();
    worker = await startWorker({ ghl: { baseUrl: ghl.url }, llm: { baseURL: llm.url, apiKey: llm.apiKey } });
    temporal = await connectClient();
    orgId = (await createTenant(sql, 'bots-conv')).orgId;
    await createIntegration(sql, orgId, { locationId: ghl.locationId, token: ghl.privateToken });
    calendarId = [...ghl.state.calendars.keys()][0]!;
    const guardrails = { maxToolCallsPerTurn: 4, fallbackMessage: FALLBACK, allowedTools: ['find_free_slots', 'book_appointment', 'handoff_to_human', 'end_conversation'] };
    const [bot] = await sql<{ id: string }[]>`
      insert into public.bots (organization_id, name, mode, persona, guardrails, reply_debounce_ms, goals)
      values (${orgId}, 'Front desk', 'auto', 'A friendly front desk assistant.', ${sql.json(guardrails)}, 0, ${sql.json(GOALS)}) returning id`;
    botId = bot!.id;
  }, 60_000);
  afterAll(async () => {
    await temporal?.close();
    await worker?.stop();
    await llm?.close();
    await ghl?.close();
    await sql?.end();
  });

  /** A Flowline contact mirroring the next of the fake location's contacts (one conversation each). */
  let contacts = 0;
  async function newContact(): Promise<string> {
    const ghlContactId = [...ghl.state.contacts.keys()][contacts++]!;
    const [row] = await sql<{ id: string }[]>`
      insert into public.contacts (organization_id, ghl_contact_id, name) values (${orgId}, ${ghlContactId}, 'Ada') returning id`;
    return row!.id;
  }
  const services = () => ({ temporal: temporal.client, taskQueue: worker.taskQueue });
  const send = (contactId: string, text: string, extra: Partial<SendBotMessageInput> = {}) =>
    sendBotMessage(services() as never, { orgId, botId, contactId, channel: 'web', text, calendarId, ...extra });
  const handle = (contactId: string) => temporal.client.workflow.getHandle(conversationWorkflowId(orgId, botId, contactId));
  const messagesOf = (contactId: string) => sql<{ role: string; text: string; trace: Record<string, unknown> | null }[]>`
    select m.role, m.text, m.trace from public.conversation_messages m join public.conversation_sessions s on s.id = m.session_id
    where s.organization_id = ${orgId} and s.contact_id = ${contactId} order by m.created_at, m.id`;
  const closeConversation = async (contactId: string) => {
    await handle(contactId).signal('close');
    await handle(contactId).result();
  };

  it('answers a greeting and stores both messages, the reply with its trace', async () => {
    const contactId = await newContact();
    const result = await send(contactId, 'Hello there');
    expect(result.reply).toContain('[sandbox model]');
    expect(result.status).toBe('active');
    const rows = await messagesOf(contactId);
    expect(rows.map((r) => r.role)).toEqual(['user', 'assistant']);
    expect(rows[1]!.text).toBe(result.reply);
    expect(rows[1]!.trace).toMatchObject({ model: expect.any(String), retrieved: expect.any(Array), toolCalls: [] });
    expect((rows[1]!.trace!.prompt as Array<{ role: string }>)[0]!.role).toBe('system');
    await closeConversation(contactId);
  }, 60_000);

  it('books an appointment through tool calls and says so only after GHL booked it', async () => {
    const contactId = await newContact();
    const before = ghl.state.appointments.size;
    const result = await send(contactId, 'Please book an appointment');
    expect(ghl.state.appointments.size).toBe(before + 1);
    expect(result.reply).toMatch(/Booked/);
    const [, reply] = await messagesOf(contactId);
    const calls = reply!.trace!.toolCalls as Array<{ name: string; result: Record<string, unknown> }>;
    expect(calls.map((c) => c.name)).toEqual(['find_free_slots', 'book_appointment']);
    expect(calls[1]!.result).toMatchObject({ booked: true });
    // The booking goal is reached on the evidence of the booking, and only that goal.
    expect(reply!.trace!.goalsReached).toEqual(['book']);
    const [session] = await sql<{ goal_state: Record<string, unknown> }[]>`
      select goal_state from public.conversation_sessions where organization_id = ${orgId} and contact_id = ${contactId}`;
    expect(session!.goal_state).toEqual({ book: { reached: true, via: 'book_appointment', at: expect.any(String) } });
    expect((await handle(contactId).query(stateQuery)).goalState).toEqual(session!.goal_state);
    await closeConversation(contactId);
  }, 60_000);

  it("books through the bot's own calendar when the conversation names none (as GHL messages never do)", async () => {
    const botCalendar = [...ghl.state.calendars.keys()].at(-1)!;
    const guardrails = { maxToolCallsPerTurn: 4, fallbackMessage: FALLBACK, allowedTools: ['find_free_slots', 'book_appointment'] };
    const [calendarBot] = await sql<{ id: string }[]>`
      insert into public.bots (organization_id, name, mode, guardrails, calendar_id)
      values (${orgId}, 'Booker', 'auto', ${sql.json(guardrails)}, ${botCalendar}) returning id`;
    const contactId = await newContact();
    const before = new Set(ghl.state.appointments.keys());
    const result = await sendBotMessage(services() as never, { orgId, botId: calendarBot!.id, contactId, channel: 'sms', text: 'Please book an appointment' });
    expect(result.reply).toMatch(/Booked/);
    const added = [...ghl.state.appointments.values()].filter((a) => !before.has(a.id));
    expect(added).toHaveLength(1);
    expect(added[0]!.calendarId).toBe(botCalendar);
    const handleOf = temporal.client.workflow.getHandle(conversationWorkflowId(orgId, calendarBot!.id, contactId));
    await handleOf.signal('close');
    await handleOf.result();
  }, 60_000);

  it('stays silent after a handoff until resumed', async () => {
    const contactId = await newContact();
    const handedOff = await send(contactId, 'I want a human');
    expect(handedOff.status).toBe('handed_off');
    const silent = await send(contactId, 'Hello?');
    expect(silent).toMatchObject({ reply: null, status: 'handed_off' });
    await handle(contactId).signal(resumeSignal);
    const back = await send(contactId, 'Are you there?');
    expect(back.status).toBe('active');
    expect(back.reply).toContain('[sandbox model]');
    const [session] = await sql<{ status: string }[]>`select status from public.conversation_sessions where organization_id = ${orgId} and contact_id = ${contactId}`;
    expect(session!.status).toBe('active');
    await closeConversation(contactId);
  }, 60_000);

  it('answers a message delivered twice once, with the same reply', async () => {
    const contactId = await newContact();
    const externalMessageId = `ghl-msg-${randomUUID()}`;
    const first = await send(contactId, 'What are your hours?', { externalMessageId });
    const second = await send(contactId, 'What are your hours?', { externalMessageId });
    expect(second.reply).toBe(first.reply);
    expect(second.messageId).toBe(first.messageId);
    expect((await messagesOf(contactId)).map((r) => r.role)).toEqual(['user', 'assistant']);
    await closeConversation(contactId);
  }, 60_000);

  it('closes the session after the idle timeout', async () => {
    const contactId = await newContact();
    // The database's minimum idle timeout is 60 s: the override is for tests only.
    const workflowId = conversationWorkflowId(orgId, botId, contactId);
    await temporal.client.workflow.start('conversationWorkflow', {
      workflowId,
      taskQueue: worker.taskQueue,
      args: [{ orgId, botId, contactId, channel: 'web', idleTimeoutSecondsOverride: 1 }],
    });
    const state = (await handle(contactId).result()) as { status: string };
    expect(state.status).toBe('closed');
    const [session] = await sql<{ status: string; closed_reason: string }[]>`
      select status, closed_reason from public.conversation_sessions where organization_id = ${orgId} and contact_id = ${contactId}`;
    expect(session).toMatchObject({ status: 'closed', closed_reason: 'idle' });
  }, 60_000);

  it("answers with the bot's fallback message when the LLM fails, with the error in the trace", async () => {
    const contactId = await newContact();
    // Two failures: the first attempt and its one retry.
    llm.enqueue({ status: 500, message: 'upstream exploded' }, { status: 500, message: 'upstream exploded' });
    const result = await send(contactId, 'Hello?');
    expect(result).toMatchObject({ reply: FALLBACK, status: 'active' });
    const [, reply] = await messagesOf(contactId);
    expect(reply!.trace).toMatchObject({ fallback: true, error: expect.stringContaining('500') });
    expect((await handle(contactId).query(stateQuery)).status).toBe('active');
    await closeConversation(contactId);
  }, 60_000);
});
