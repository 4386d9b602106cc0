// Bot conversations driven for history recording (scripts/record-history.ts): a conversation
// with tool calls, a handoff and resume and a close; one that continues as new; and GHL channel
// deliveries (an inbound message answered through GHL, a person replying in GHL). The worker
// talks to a fake LLM and a fake GHL, so the recorded histories hold real activity results.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { compileBotGraph } from '../../bots/graph/compile';
import type { Sql } from '../../db/client';
import { integrationContext, parseKeyRing, seal } from '../../db/secrets';
import type { FakeGhl } from '../../fakes/ghl';
import { botChannelWorkflowId } from '../../workflows/bots/channels';
import { closeSignal, handoffSignal, resumeSignal, sendMessageUpdate } from '../../workflows/bots/messages';

/** The key ring the recording worker opens the fake GHL's credentials with. */
export const RECORDING_KEY_RING = parseKeyRing(randomBytes(32).toString('base64'));

export interface DriveContext {
  client: Client;
  taskQueue: string;
  sql: Sql;
  ghl: FakeGhl;
}

/** The run whose history is recorded (the latest run of the workflow id when runId is absent). */
export interface DrivenRun {
  workflowId: string;
  runId?: string;
}

interface BotOrg {
  orgId: string;
  botId: string;
  contactId: string;
  ghlContactId: string;
}

let contactsUsed = 0;
let org: Promise<Omit<BotOrg, 'contactId' | 'ghlContactId'>> | undefined;

/** The recording organization (a GHL location connects to one only) and a new mirrored contact for each conversation. */
async function botOrg(sql: Sql, ghl: FakeGhl): Promise<BotOrg> {
  org ??= connectedOrg(sql, ghl);
  const { orgId, botId } = await org;
  const ghlContactId = [...ghl.state.contacts.values()].filter((c) => c.phone && !c.dnd)[contactsUsed++]!.id;
  const [contact] = await sql<{ id: string }[]>`
    insert into public.contacts (organization_id, ghl_contact_id, name) values (${orgId}, ${ghlContactId}, 'Ada') returning id`;
  return { orgId, botId, contactId: contact!.id, ghlContactId };
}

/** An organization connected to the fake GHL, with an auto bot on web and SMS. */
async function connectedOrg(sql: Sql, ghl: FakeGhl): Promise<{ orgId: string; botId: string }> {
  const [org] = await sql<{ id: string }[]>`insert into public.organizations (name, slug) values ('Recording', ${`recording-${randomUUID().slice(0, 8)}`}) returning id`;
  const orgId = org!.id;
  const integrationId = randomUUID();
  const sealed = seal(RECORDING_KEY_RING, integrationContext(orgId, integrationId), { kind: 'private_token', accessToken: ghl.privateToken });
  await sql`
    insert into public.integrations (id, organization_id, provider, auth_type, external_account_id, credentials, credentials_key_id)
    values (${integrationId}, ${orgId}, 'ghl', 'private_token', ${ghl.locationId}, ${sealed.envelope}, ${sealed.keyId})`;
  const guardrails = { maxToolCallsPerTurn: 4, allowedTools: ['find_free_slots', 'book_appointment', 'handoff_to_human', 'end_conversation'] };
  const [bot] = await sql<{ id: string }[]>`
    insert into public.bots (organization_id, name, mode, channels, persona, guardrails)
    values (${orgId}, 'Front desk', 'auto', '{web,sms}', 'A friendly front desk assistant.', ${sql.json(guardrails)}) returning id`;
  return { orgId, botId: bot!.id };
}

/** Greeting, a booking (two GHL tool calls), a handoff by the model, silence, resume, a handoff by signal, resume, goodbye (end_conversation). */
export async function conversationTurns(ctx: DriveContext): Promise<DrivenRun> {
  const { orgId, botId, contactId } = await botOrg(ctx.sql, ctx.ghl);
  const calendarId = [...ctx.ghl.state.calendars.keys()][0]!;
  const workflowId = 'record:bot-conversation';
  const handle = await ctx.client.workflow.start('conversationWorkflow', { workflowId, taskQueue: ctx.taskQueue, args: [{ orgId, botId, contactId, channel: 'web', calendarId }] });
  const send = (text: string) => handle.executeUpdate(sendMessageUpdate, { args: [{ text, channel: 'web' }] });
  await send('Hello there');
  await send('Please book an appointment');
  await send('I want to speak to a human');
  await send('Hello?');
  await handle.signal(resumeSignal);
  await send('Are you there?');
  await handle.signal(handoffSignal, { reason: 'a person took over' });
  await handle.signal(resumeSignal);
  await send("Thanks, that's all. Bye");
  await handle.result();
  return { workflowId };
}

/** Two turns at two per run: the first run continues as new; the next is closed by signal. */
export async function conversationContinuedAsNew(ctx: DriveContext): Promise<DrivenRun> {
  const { orgId, botId, contactId } = await botOrg(ctx.sql, ctx.ghl);
  const workflowId = 'record:bot-conversation-continued';
  const handle = await ctx.client.workflow.start('conversationWorkflow', { workflowId, taskQueue: ctx.taskQueue, args: [{ orgId, botId, contactId, channel: 'web', turnsPerRunOverride: 2 }] });
  const send = (text: string) => ctx.client.workflow.getHandle(workflowId).executeUpdate(sendMessageUpdate, { args: [{ text, channel: 'web' }] });
  await send('Hello there');
  await send('What are your opening hours?');
  const first = ctx.client.workflow.getHandle(workflowId, handle.firstExecutionRunId);
  while ((await first.describe()).status.name !== 'CONTINUED_AS_NEW') await new Promise((r) => setTimeout(r, 100));
  await send('And on Sundays?');
  await ctx.client.workflow.getHandle(workflowId).signal(closeSignal, { reason: 'contact' });
  await ctx.client.workflow.getHandle(workflowId).result();
  return { workflowId, runId: handle.firstExecutionRunId };
}

async function delivery(sql: Sql, orgId: string, locationId: string, type: string, data: Record<string, unknown>): Promise<string> {
  const webhookId = `rec-${randomUUID()}`;
  await sql`
    insert into public.ghl_webhook_events (organization_id, webhook_id, type, location_id, body)
    values (${orgId}, ${webhookId}, ${type}, ${locationId}, ${sql.json({ type, locationId, data } as never)})`;
  return webhookId;
}

async function runChannel(ctx: DriveContext, orgId: string, webhookId: string): Promise<DrivenRun> {
  const workflowId = botChannelWorkflowId(orgId, webhookId);
  await ctx.client.workflow.execute('botChannelWorkflow', { workflowId, taskQueue: ctx.taskQueue, args: [{ orgId, webhookId }] });
  return { workflowId };
}

const inboundSms = (ghl: FakeGhl, ghlContactId: string, body: string) => ({
  type: 'InboundMessage',
  locationId: ghl.locationId,
  contactId: ghlContactId,
  body,
  messageId: `msg-${randomUUID()}`,
  messageType: 'SMS',
  direction: 'inbound',
});

/** An inbound SMS: the contact's conversation answers (update-with-start) and the reply goes out through GHL. */
export async function channelInbound(ctx: DriveContext): Promise<DrivenRun> {
  const { orgId, ghlContactId } = await botOrg(ctx.sql, ctx.ghl);
  const webhookId = await delivery(ctx.sql, orgId, ctx.ghl.locationId, 'InboundMessage', inboundSms(ctx.ghl, ghlContactId, 'Hello there'));
  return runChannel(ctx, orgId, webhookId);
}

/** A person answers the contact in GHL: the open conversation is handed off by signal. */
export async function channelHumanReply(ctx: DriveContext): Promise<DrivenRun> {
  const { orgId, ghlContactId } = await botOrg(ctx.sql, ctx.ghl);
  await runChannel(ctx, orgId, await delivery(ctx.sql, orgId, ctx.ghl.locationId, 'InboundMessage', inboundSms(ctx.ghl, ghlContactId, 'Hi, what do you do?')));
  const userId = [...ctx.ghl.state.users.keys()][0]!;
  const reply = { type: 'OutboundMessage', locationId: ctx.ghl.locationId, contactId: ghlContactId, body: 'Ada from the team here', messageId: `msg-${randomUUID()}`, messageType: 'SMS', direction: 'outbound', userId };
  return runChannel(ctx, orgId, await delivery(ctx.sql, orgId, ctx.ghl.locationId, 'OutboundMessage', reply));
}

/**
 * A bot that follows its published graph, with a debounce window and goals: the welcome and the
 * email question, a wrong answer asked again, the email, two quick messages merged into one
 * turn of the AI agent, a booking that reaches the goal, the goal check and the end.
 */
export async function conversationGraph(ctx: DriveContext): Promise<DrivenRun> {
  const { orgId, contactId } = await botOrg(ctx.sql, ctx.ghl);
  const botId = await graphBot(ctx.sql, orgId);
  const calendarId = [...ctx.ghl.state.calendars.keys()][0]!;
  const workflowId = 'record:bot-conversation-graph';
  const handle = await ctx.client.workflow.start('conversationWorkflow', { workflowId, taskQueue: ctx.taskQueue, args: [{ orgId, botId, contactId, channel: 'web', calendarId }] });
  const send = (text: string) => handle.executeUpdate(sendMessageUpdate, { args: [{ text, channel: 'web' }] });
  await send('Hi');
  await send('I would rather not say');
  await send('it is ada@example.com');
  await Promise.all([send('One more thing'), new Promise((r) => setTimeout(r, 100)).then(() => send('Do you open on Sundays?'))]);
  await send('Please book an appointment');
  await handle.result();
  return { workflowId };
}

async function graphBot(sql: Sql, orgId: string): Promise<string> {
  const node = (id: string, type: string, data: Record<string, unknown> = {}) => ({ id, type, position: { x: 0, y: 0 }, data });
  const edge = (source: string, target: string, sourceHandle?: string) => ({ id: `${source}-${sourceHandle ?? 'out'}-${target}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) });
  const definition = {
    nodes: [
      node('start', 'bot.start'),
      node('hello', 'bot.message', { text: 'Welcome!' }),
      node('email', 'bot.ask', { question: 'What is your email?', variable: 'email', expect: 'email', retries: 1 }),
      node('agent', 'bot.llm', { exitOnGoal: 'book', maxTurns: 5 }),
      node('booked', 'bot.goal', { goal: 'book' }),
      node('bye', 'bot.end', { message: 'See you, {{ vars.email }}!' }),
      node('human', 'bot.handoff'),
    ],
    edges: [edge('start', 'hello'), edge('hello', 'email'), edge('email', 'agent'), edge('email', 'human', 'invalid'), edge('agent', 'booked'), edge('booked', 'bye', 'met'), edge('booked', 'human', 'not_met')],
  };
  const compiled = compileBotGraph(definition, { hash: (s) => createHash('sha256').update(s).digest('hex'), goalIds: ['book'] });
  if (!compiled.ok) throw new Error(`the recording graph does not compile: ${JSON.stringify(compiled.problems)}`);
  const guardrails = { maxToolCallsPerTurn: 4, allowedTools: ['find_free_slots', 'book_appointment', 'handoff_to_human', 'end_conversation'] };
  const [bot] = await sql<{ id: string }[]>`
    insert into public.bots (organization_id, name, mode, channels, guardrails, goals, reply_debounce_ms)
    values (${orgId}, 'Graph desk', 'auto', '{web}', ${sql.json(guardrails)}, ${sql.json([{ id: 'book', name: 'Book a visit', kind: 'appointment_booked' }])}, 1000) returning id`;
  await sql`insert into public.chatbot_workflows (organization_id, bot_id, version, definition, ir, hash)
    values (${orgId}, ${bot!.id}, 1, ${sql.json(definition as never)}, ${sql.json(compiled.ir as never)}, ${compiled.ir.hash})`;
  await sql`update public.bots set graph_version = 1 where id = ${bot!.id}`;
  return bot!.id;
}
