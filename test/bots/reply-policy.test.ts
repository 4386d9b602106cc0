// How a bot's settings shape its replies, on the real stack (worker on the Temporal dev server,
// real Postgres, the fake LLM): its mode (off, suggest, auto), the debounce window merging a
// contact's rapid messages into one turn, the limit of automatic replies, and the simulator's
// preview that answers whatever the mode.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { sendBotMessage, type SendBotMessageInput } from '../../api/bots/conversation';
import type { Sql } from '../../db/client';
import { startFakeLlm, type FakeLlm } from '../../fakes/llm';
import { conversationWorkflowId } from '../../workflows/bots/messages';
import { testSql } from '../helpers/db';
import { createTenant } from '../helpers/tenants';
import { connectClient, startWorker, type RunningWorker } from '../helpers/worker';

describe('bot reply policy', () => {
  let sql: Sql;
  let llm: FakeLlm;
  let worker: RunningWorker;
  let temporal: { client: Client; close: () => Promise<void> };
  let orgId: string;
  beforeAll(async () => {
    sql = testSql();
    llm = await startFakeLlm();
    worker = await startWorker({ llm: { baseURL: llm.url, apiKey: llm.apiKey } });
    temporal = await connectClient();
    orgId = (await createTenant(sql, 'bots-policy')).orgId;
  }, 60_000);
  afterAll(async () => {
    await temporal?.close();
    await worker?.stop();
    await llm?.close();
    await sql?.end();
  });

  let bots = 0;
  async function newBot(settings: { mode: string; debounceMs?: number; maxAutoMessages?: number }): Promise<string> {
    const [bot] = await sql<{ id: string }[]>`
      insert into public.bots (organization_id, name, mode, reply_debounce_ms, max_auto_messages)
      values (${orgId}, ${`Bot ${++bots}`}, ${settings.mode}, ${settings.debounceMs ?? 0}, ${settings.maxAutoMessages ?? 25}) returning id`;
    return bot!.id;
  }
  async function newContact(): Promise<string> {
    const [row] = await sql<{ id: string }[]>`insert into public.contacts (organization_id, ghl_contact_id, name) values (${orgId}, ${`ghl-${randomUUID()}`}, 'Grace') returning id`;
    return row!.id;
  }
  const send = (botId: string, contactId: string, text: string, extra: Partial<SendBotMessageInput> = {}) =>
    sendBotMessage({ temporal: temporal.client, taskQueue: worker.taskQueue } as never, { orgId, botId, contactId, channel: 'sms', text, ...extra });
  const messagesOf = (botId: string, contactId: string) => sql<{ role: string; text: string; suggested: boolean }[]>`
    select m.role, m.text, m.suggested from public.conversation_messages m join public.conversation_sessions s on s.id = m.session_id
    where s.organization_id = ${orgId} and s.bot_id = ${botId} and s.contact_id = ${contactId} order by m.created_at, m.id`;
  const close = async (botId: string, contactId: string) => {
    const handle = temporal.client.workflow.getHandle(conversationWorkflowId(orgId, botId, contactId));
    await handle.signal('close');
    await handle.result();
  };

  it('keeps an off bot silent on live messages but answers in the simulator', async () => {
    const botId = await newBot({ mode: 'off' });
    const contactId = await newContact();
    const live = await send(botId, contactId, 'Hello?');
    expect(live).toMatchObject({ reply: null, status: 'active' });
    expect(live.messageId).not.toBe('');
    const preview = await send(botId, contactId, 'Hello from the simulator', { preview: true });
    expect(preview.reply).toContain('[sandbox model]');
    expect((await messagesOf(botId, contactId)).map((m) => m.role)).toEqual(['user', 'user', 'assistant']);
    await close(botId, contactId);
  }, 60_000);

  it('drafts a suggestion in suggest mode: stored as such, not a reply, and not shown to the model again', async () => {
    const botId = await newBot({ mode: 'suggest' });
    const contactId = await newContact();
    const first = await send(botId, contactId, 'What are your opening hours?');
    expect(first.reply).toBeNull();
    expect(first.suggestion).toContain('[sandbox model]');
    const rows = await messagesOf(botId, contactId);
    expect(rows).toEqual([
      { role: 'user', text: 'What are your opening hours?', suggested: false },
      { role: 'assistant', text: first.suggestion, suggested: true },
    ]);
    // The next turn's prompt holds the contact's messages but not the unsent draft.
    await send(botId, contactId, 'Anyone there?');
    const [trace] = await sql<{ trace: { prompt: Array<{ role: string; content: string }> } }[]>`
      select m.trace from public.conversation_messages m join public.conversation_sessions s on s.id = m.session_id
      where s.bot_id = ${botId} and s.contact_id = ${contactId} and m.role = 'assistant' order by m.created_at desc, m.id desc limit 1`;
    const said = trace!.trace.prompt.filter((m) => m.role !== 'system').map((m) => `${m.role}: ${m.content}`);
    expect(said).toEqual(['user: What are your opening hours?', 'user: Anyone there?']);
    await close(botId, contactId);
  }, 60_000);

  it('merges messages sent within the debounce window into one turn with one reply', async () => {
    const botId = await newBot({ mode: 'auto', debounceMs: 3_000 });
    const contactId = await newContact();
    const first = send(botId, contactId, 'Hi, I have a question');
    // The second message lands inside the first one's window (the first opens the conversation).
    for (let i = 0; i < 200 && (await messagesOf(botId, contactId)).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const second = await send(botId, contactId, 'Do you open on Sundays?');
    const answered = await first;
    expect(second.merged).toBeUndefined();
    expect(second.reply).toContain('[sandbox model]');
    expect(answered).toMatchObject({ merged: true, reply: second.reply });
    expect(answered.messageId).not.toBe(second.messageId);
    const rows = await messagesOf(botId, contactId);
    expect(rows.map((m) => m.role)).toEqual(['user', 'user', 'assistant']);
    await close(botId, contactId);
  }, 60_000);

  it('hands the conversation to a person once the automatic replies run out', async () => {
    const botId = await newBot({ mode: 'auto', maxAutoMessages: 2 });
    const contactId = await newContact();
    expect((await send(botId, contactId, 'One')).reply).toContain('[sandbox model]');
    expect((await send(botId, contactId, 'Two')).reply).toContain('[sandbox model]');
    const third = await send(botId, contactId, 'Three');
    expect(third).toMatchObject({ reply: null, status: 'handed_off' });
    const [session] = await sql<{ status: string; auto_messages_sent: number }[]>`
      select status, auto_messages_sent from public.conversation_sessions where bot_id = ${botId} and contact_id = ${contactId}`;
    expect(session).toEqual({ status: 'handed_off', auto_messages_sent: 2 });
    await close(botId, contactId);
  }, 60_000);

  it('picks up a session whose workflow was terminated without losing or overwriting its messages', async () => {
    const botId = await newBot({ mode: 'auto' });
    const contactId = await newContact();
    await send(botId, contactId, 'First');
    await send(botId, contactId, 'Second');
    const handle = temporal.client.workflow.getHandle(conversationWorkflowId(orgId, botId, contactId));
    await handle.terminate('operator reset');
    // The session is still open: the next message starts a new run on it.
    const third = await send(botId, contactId, 'Third');
    expect(third.reply).toContain('Third');
    const rows = await messagesOf(botId, contactId);
    expect(rows.filter((m) => m.role === 'user').map((m) => m.text)).toEqual(['First', 'Second', 'Third']);
    expect(rows.filter((m) => m.role === 'assistant')).toHaveLength(3);
    await close(botId, contactId);
  }, 60_000);
});
