// GHL's echo of our own replies on the real stack: the fake GHL sends each message its API sent
// back as an OutboundMessage webhook (here attributed to a GHL user, as GHL does when the app's
// token acts for one). The reply row keeps GHL's messageId, so the echo is known as ours: it
// neither hands the conversation to a person nor adds a message. A person's own message, with
// another messageId, still does.
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

describe("GHL's echo of the bot's own replies", () => {
  let sql: Sql;
  let fake: FakeGhl;
  let llm: FakeLlm;
  let worker: RunningWorker;
  let app: RunningApp;
  let temporal: { client: Client; close: () => Promise<void> };
  let orgId: string;
  let botId: string;
  let ghlUserId: string;
  beforeAll(async () => {
    sql = testSql();
    fake = await startFakeGhl({ seed: { contacts: 4 } });
    llm = await startFakeLlm();
    worker = await startWorker({ ghl: { baseUrl: fake.url }, llm: { baseURL: llm.url, apiKey: llm.apiKey } });
    app = await startApp({ taskQueue: worker.taskQueue, ghl: { baseUrl: fake.url, webhookKeys: fake.keys } });
    temporal = await connectClient();
    fake.webhooks.target = `${app.url}/api/v1/integrations/ghl/webhooks`;
    ghlUserId = [...fake.state.users.keys()][0]!;
    // GHL names a user on the messages the app sends: a userId alone cannot tell ours from a person's.
    fake.conversations.apiMessagesUserId = ghlUserId;
    orgId = (await createTenant(sql, 'bots-echo')).orgId;
    await createIntegration(sql, orgId, { locationId: fake.locationId, token: fake.privateToken });
    const [bot] = await sql<{ id: string }[]>`
      insert into public.bots (organization_id, name, mode, channels, persona, sleep_on_human_reply)
      values (${orgId}, 'Front desk', 'auto', '{sms}', 'A friendly front desk assistant.', true) returning id`;
    botId = bot!.id;
  }, 60_000);
  afterAll(async () => {
    if (fake) fake.webhooks.target = null;
    await fake?.webhooks.idle();
    await temporal?.close();
    await app?.close();
    await worker?.stop();
    await llm?.close();
    await fake?.close();
    await sql?.end();
  });

  const resultOf = (webhookId: string): Promise<BotChannelResult> => {
    const handle = temporal.client.workflow.getHandle(botChannelWorkflowId(orgId, webhookId));
    return until('the delivery to reach the bots', async () => {
      try {
        return (await handle.result()) as BotChannelResult;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      }
    });
  };
  async function deliver(event: Record<string, unknown>): Promise<BotChannelResult> {
    const [delivery] = await fake.webhooks.send(`${app.url}/api/v1/integrations/ghl/webhooks`, event);
    expect(delivery!.status).toBe(200);
    return resultOf(delivery!.webhookId);
  }
  const contactWithPhone = (i: number) => [...fake.state.contacts.values()].filter((c) => c.phone && !c.dnd)[i]!.id;
  const sessionOf = async (ghlContactId: string) => {
    const [row] = await sql<{ id: string; status: string }[]>`
      select s.id, s.status from public.conversation_sessions s join public.contacts c on c.organization_id = s.organization_id and c.id = s.contact_id
      where s.organization_id = ${orgId} and c.ghl_contact_id = ${ghlContactId} and s.bot_id = ${botId}`;
    return row;
  };
  const messagesOf = (sessionId: string) => sql<{ role: string; text: string; external_message_id: string | null }[]>`
    select role, text, external_message_id from public.conversation_messages
    where organization_id = ${orgId} and session_id = ${sessionId} order by created_at, id`;

  it("keeps GHL's messageId on the reply and ignores its echo, even with a userId on it", async () => {
    const contact = contactWithPhone(0);
    const inboundId = `msg-${randomUUID()}`;
    const first = await deliver({ ...fixture('InboundMessage'), locationId: fake.locationId, contactId: contact, body: 'Hello there', messageId: inboundId });
    expect(first).toMatchObject({ kind: 'inbound', delivery: { status: 'sent' } });
    const sent = [...fake.state.messages.values()].filter((m) => m.contactId === contact && m.direction === 'outbound');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.userId).toBe(ghlUserId);

    const session = (await sessionOf(contact))!;
    expect(await messagesOf(session.id)).toEqual([
      { role: 'user', text: 'Hello there', external_message_id: inboundId },
      { role: 'assistant', text: sent[0]!.body, external_message_id: sent[0]!.id },
    ]);

    // The fake's own OutboundMessage webhook for the reply: our messageId, and GHL's userId.
    await fake.webhooks.idle();
    const echo = fake.webhooks.deliveries.find((d) => d.type === 'OutboundMessage' && d.body.includes(sent[0]!.id));
    expect(echo?.status).toBe(200);
    expect(JSON.parse(echo!.body)).toMatchObject({ messageId: sent[0]!.id, userId: ghlUserId });
    expect(await resultOf(echo!.webhookId)).toEqual({ kind: 'ignored', reason: 'our own reply' });
    // Redelivered by GHL: still ours.
    expect(await deliver(JSON.parse(echo!.body) as Record<string, unknown>)).toEqual({ kind: 'ignored', reason: 'our own reply' });

    expect((await sessionOf(contact))!.status).toBe('active');
    expect(await messagesOf(session.id)).toHaveLength(2);
    // The bot still answers the contact's next message.
    const next = await deliver({ ...fixture('InboundMessage'), locationId: fake.locationId, contactId: contact, body: 'And another thing', messageId: `msg-${randomUUID()}` });
    expect(next).toMatchObject({ kind: 'inbound', reply: expect.any(String), delivery: { status: 'sent' } });
  }, 180_000);

  it("still hands off on a person's message in GHL (another messageId)", async () => {
    const contact = contactWithPhone(1);
    await deliver({ ...fixture('InboundMessage'), locationId: fake.locationId, contactId: contact, body: 'Hi, what do you do?', messageId: `msg-${randomUUID()}` });
    const human = await deliver({ ...fixture('OutboundMessage'), locationId: fake.locationId, contactId: contact, body: 'Ada from the team here', messageId: `msg-${randomUUID()}`, direction: 'outbound', userId: ghlUserId });
    expect(human).toMatchObject({ kind: 'human_reply', handedOff: [expect.stringContaining(botId)] });
    await until('the session to be handed off', async () => ((await sessionOf(contact))?.status === 'handed_off' ? true : undefined));
  }, 120_000);
});
