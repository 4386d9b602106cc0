// Bots on GHL channels on the real stack: the fake GHL delivers signed webhooks to the app over
// HTTP, a real worker on the Temporal dev server runs the GHL event workflow and the bot's
// conversation against the fake LLM, and the bot's replies go back through the fake GHL's
// send-message API (whose own OutboundMessage echoes come back to the app as webhooks too).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { Sql } from '../../db/client';
import { startFakeGhl, type FakeGhl } from '../../fakes/ghl';
import { startFakeLlm, type FakeLlm } from '../../fakes/llm';
import { botChannelWorkflowId, type BotChannelResult } from '../../workflows/bots/channels';
import { startApp, type RunningApp } from '../helpers/app';
import { testSql } from '../helpers/db';
import { createIntegration } from '../helpers/integrations';
import { createTenant } from '../helpers/tenants';
import { connectClient, startWorker, type RunningWorker } from '../helpers/worker';
import { until } from '../helpers/until';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'ghl-webhooks', 'events', `${name}.json`), 'utf8'));

describe('bots on GHL channels', () => {
  let sql: Sql;
  let fake: FakeGhl;
  let llm: FakeLlm;
  let worker: RunningWorker;
  let app: RunningApp;
  let temporal: { client: Client; close: () => Promise<void> };
  let orgId: string;
  let botId: string;
  beforeAll(async () => {
    sql = testSql();
    fake = await startFakeGhl({ seed: { contacts: 10 } });
    llm = await startFakeLlm();
    worker = await startWorker({ ghl: { baseUrl: fake.url }, llm: { baseURL: llm.url, apiKey: llm.apiKey } });
    app = await startApp({ taskQueue: worker.taskQueue, ghl: { baseUrl: fake.url, webhookKeys: fake.keys } });
    temporal = await connectClient();
    // The fake's own webhooks (the OutboundMessage echo of each message sent) reach the app too.
    fake.webhooks.target = `${app.url}/api/v1/integrations/ghl/webhooks`;
    orgId = (await createTenant(sql, 'bots-ghl')).orgId;
    await createIntegration(sql, orgId, { locationId: fake.locationId, token: fake.privateToken });
    const [bot] = await sql<{ id: string }[]>`
      insert into public.bots (organization_id, name, mode, channels, persona)
      values (${orgId}, 'Front desk', 'auto', '{sms,email}', 'A friendly front desk assistant.') returning id`;
    botId = bot!.id;
    // Before the auto bot by name, but off: it never answers, and alone on WhatsApp nothing does.
    await sql`insert into public.bots (organization_id, name, mode, channels) values (${orgId}, 'Aardvark', 'off', '{sms,whatsapp}')`;
    // Also auto on SMS, but after 'Front desk' by name: it never gets the message.
    await sql`insert into public.bots (organization_id, name, mode, channels) values (${orgId}, 'Zebra', 'auto', '{sms}')`;
  }, 60_000);
  afterAll(async () => {
    fake.webhooks.target = null;
    await fake?.webhooks.idle();
    await temporal?.close();
    await app?.close();
    await worker?.stop();
    await llm?.close();
    await fake?.close();
    await sql?.end();
  });

  /** The next seeded GHL contact that can receive SMS and email; no Flowline row yet (the bot creates it). */
  let used = 0;
  const nextGhlContact = (): string => {
    const all = [...fake.state.contacts.values()].filter((c) => c.phone && c.email && !c.dnd);
    return all[used++]!.id;
  };
  const botMessagesTo = (ghlContactId: string) => [...fake.state.messages.values()].filter((m) => m.contactId === ghlContactId && m.direction === 'outbound');

  const inbound = (ghlContactId: string, text: string, over: Record<string, unknown> = {}) => ({
    ...fixture('InboundMessage'),
    locationId: fake.locationId,
    contactId: ghlContactId,
    body: text,
    messageId: `msg-${randomUUID()}`,
    ...over,
  });

  /** Delivers a signed event and waits for its bot work to finish. */
  async function deliver(event: Record<string, unknown>): Promise<BotChannelResult> {
    const [delivery] = await fake.webhooks.send(`${app.url}/api/v1/integrations/ghl/webhooks`, event);
    expect(delivery!.status).toBe(200);
    return deliverResultOf(delivery!.webhookId);
  }
  function deliverResultOf(webhookId: string): Promise<BotChannelResult> {
    const handle = temporal.client.workflow.getHandle(botChannelWorkflowId(orgId, webhookId));
    return until('the delivery to reach the bots', async () => {
      try {
        return (await handle.result()) as BotChannelResult;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      }
    });
  }

  const sessionOf = async (ghlContactId: string) => {
    const [row] = await sql<{ id: string; status: string; channel: string }[]>`
      select s.id, s.status, s.channel from public.conversation_sessions s join public.contacts c on c.organization_id = s.organization_id and c.id = s.contact_id
      where s.organization_id = ${orgId} and c.ghl_contact_id = ${ghlContactId} and s.bot_id = ${botId}`;
    return row;
  };
  const repliesOf = (sessionId: string) => sql<{ text: string; delivered_at: Date | null; delivery_error: string | null }[]>`
    select text, delivered_at, delivery_error from public.conversation_messages
    where organization_id = ${orgId} and session_id = ${sessionId} and role = 'assistant' order by created_at, id`;

  it('answers an inbound SMS through GHL once, whatever the redeliveries of the message', async () => {
    const contact = nextGhlContact();
    const event = inbound(contact, 'Hello there');
    const first = await deliver(event);
    expect(first).toMatchObject({ kind: 'inbound', reply: expect.stringContaining('[sandbox model]'), delivery: { status: 'sent' } });
    const sent = botMessagesTo(contact);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ type: 'SMS', body: (first as { reply: string }).reply });

    // GHL delivers the same message again under a new webhookId: same reply, nothing sent.
    const again = await deliver(event);
    expect(again).toMatchObject({ kind: 'inbound', reply: (first as { reply: string }).reply, delivery: { status: 'already_sent' } });
    expect(botMessagesTo(contact)).toHaveLength(1);

    // The contact row was created for the GHL contact; the reply row is marked delivered.
    const session = (await sessionOf(contact))!;
    expect(session).toMatchObject({ status: 'active', channel: 'sms' });
    const replies = await repliesOf(session.id);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.delivered_at).toBeInstanceOf(Date);
    // The echo of our own reply (an OutboundMessage without userId) does not pause the bot.
    await fake.webhooks.idle();
    const echo = fake.webhooks.deliveries.find((d) => d.type === 'OutboundMessage' && d.body.includes(sent[0]!.id));
    expect(echo?.status).toBe(200);
    expect(await deliverResultOf(echo!.webhookId)).toMatchObject({ kind: 'ignored' });
    expect((await sessionOf(contact))!.status).toBe('active');
  }, 120_000);

  it('pauses the bot when a person replies in GHL, and then stays silent', async () => {
    const contact = nextGhlContact();
    await deliver(inbound(contact, 'Hi, what do you do?'));
    expect(botMessagesTo(contact)).toHaveLength(1);
    const userId = [...fake.state.users.keys()][0]!;
    const human = await deliver({ ...fixture('OutboundMessage'), locationId: fake.locationId, contactId: contact, body: 'Ada from the team here', messageId: `msg-${randomUUID()}`, direction: 'outbound', userId });
    expect(human).toMatchObject({ kind: 'human_reply', handedOff: [expect.stringContaining(botId)] });
    await until('the session to be handed off', async () => ((await sessionOf(contact))?.status === 'handed_off' ? true : undefined));

    const later = await deliver(inbound(contact, 'Thanks, one more question'));
    expect(later).toMatchObject({ kind: 'inbound', reply: null, delivery: null });
    expect(botMessagesTo(contact)).toHaveLength(1);
  }, 120_000);

  it('answers an email with an email', async () => {
    const contact = nextGhlContact();
    const result = await deliver(inbound(contact, 'Hello by email', { messageType: 'Email' }));
    expect(result).toMatchObject({ kind: 'inbound', delivery: { status: 'sent' } });
    expect(botMessagesTo(contact)).toMatchObject([{ type: 'Email', body: (result as { reply: string }).reply }]);
    expect((await sessionOf(contact))!.channel).toBe('email');
  }, 120_000);

  it('sends nothing on a channel whose only bot is off', async () => {
    const contact = nextGhlContact();
    const result = await deliver(inbound(contact, 'Hello on WhatsApp', { messageType: 'WhatsApp' }));
    expect(result).toMatchObject({ kind: 'ignored' });
    expect(botMessagesTo(contact)).toHaveLength(0);
    expect(await sessionOf(contact)).toBeUndefined();
  }, 60_000);

  it('retries a failing GHL send and still sends the reply once', async () => {
    const contact = nextGhlContact();
    const from = fake.requests.length;
    fake.failNext({ status: 500, method: 'POST', path: '/conversations/messages', times: 2 });
    const result = await deliver(inbound(contact, 'Hello again'));
    expect(result).toMatchObject({ kind: 'inbound', delivery: { status: 'sent' } });
    expect(botMessagesTo(contact)).toHaveLength(1);
    const sends = fake.requests.slice(from).filter((r) => r.method === 'POST' && r.path === '/conversations/messages');
    expect(sends.map((r) => r.status >= 500)).toEqual([true, true, false]);
  }, 120_000);

  it('records a permanent GHL refusal on the reply and sends nothing', async () => {
    const contact = nextGhlContact();
    fake.failNext({ status: 422, method: 'POST', path: '/conversations/messages', body: { statusCode: 422, message: ['message is not allowed'] } });
    const result = await deliver(inbound(contact, 'Hello once more'));
    expect(result).toMatchObject({ kind: 'inbound', delivery: { status: 'failed' } });
    expect(botMessagesTo(contact)).toHaveLength(0);
    const replies = await repliesOf((await sessionOf(contact))!.id);
    expect(replies[0]).toMatchObject({ delivered_at: null, delivery_error: expect.any(String) });
  }, 120_000);
});
