// A worker SIGKILLed in the middle of bot turns (the model's answer never came back): after a
// restart each contact gets exactly one reply, stored once, and a GHL contact is sent it once.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { sendBotMessage } from '../../api/bots/conversation';
import type { Sql } from '../../db/client';
import { integrationContext, parseKeyRing, seal } from '../../db/secrets';
import { startFakeGhl, type FakeGhl } from '../../fakes/ghl';
import { startFakeLlm, type FakeLlm } from '../../fakes/llm';
import { botChannelWorkflowId, type BotChannelResult } from '../../workflows/bots/channels';
import { testSql } from '../helpers/db';
import { createTenant } from '../helpers/tenants';
import { TEST_ENCRYPTION_KEY } from '../helpers/integrations';
import { spawnWorker } from '../helpers/worker-process';
import { connectClient } from '../helpers/worker';
import { until as waitUntil } from '../helpers/until';

/** More patient than the default: workers and servers restart meanwhile. */
const until = <T>(what: string, fn: () => Promise<T | undefined>, timeoutMs?: number) => waitUntil(what, fn, { timeoutMs: timeoutMs ?? 90_000, intervalMs: 100, ignoreErrors: true });

/**
 * In front of the fake LLM: while holding, a chat completion is never answered (the turn stays
 * in the model call until the worker dies); otherwise requests pass through.
 */
async function startHoldingLlm(llm: FakeLlm): Promise<{ url: string; holding: boolean; held: () => number; close: () => Promise<void> }> {
  const held: ServerResponse[] = [];
  const proxy = {
    url: '',
    holding: true,
    held: () => held.length,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const pass = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (proxy.holding) return void held.push(res);
    const upstream = await fetch(`${llm.url}${req.url!.replace(/^\/v1/, '')}`, {
      method: req.method,
      headers: { authorization: req.headers.authorization ?? '', 'content-type': 'application/json' },
      body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
    });
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  };
  const server: Server = createServer((req, res) => {
    pass(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return proxy;
}

describe('a bot worker killed mid-turn', () => {
  let sql: Sql;
  let ghl: FakeGhl;
  let llm: FakeLlm;
  let proxy: Awaited<ReturnType<typeof startHoldingLlm>>;
  let temporal: { client: Client; close: () => Promise<void> };
  const taskQueue = `bot-crash-${randomUUID()}`;
  const workers: ChildProcess[] = [];
  // The worker process opens GHL credentials (and payload data keys) with the run's key.
  const encryptionKey = TEST_ENCRYPTION_KEY;
  const saved = { ...process.env };
  beforeAll(async () => {
    sql = testSql();
    ghl = await startFakeGhl({ seed: { contacts: 4 } });
    llm = await startFakeLlm();
    proxy = await startHoldingLlm(llm);
    temporal = await connectClient();
    // spawnWorker passes this process's environment on to the worker.
    Object.assign(process.env, { OPENAI_BASE_URL: proxy.url, OPENAI_API_KEY: llm.apiKey, GHL_BASE_URL: ghl.url, FLOWLINE_ENCRYPTION_KEY: encryptionKey });
  }, 60_000);
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    process.env = saved;
    await temporal?.close();
    await proxy?.close();
    await llm?.close();
    await ghl?.close();
    await sql?.end();
  });

  it('answers each contact exactly once after a restart, on the web and through GHL', async () => {
    const { orgId } = await createTenant(sql, 'bots-crash');
    const integrationId = randomUUID();
    const sealed = seal(parseKeyRing(encryptionKey), integrationContext(orgId, integrationId), { kind: 'private_token', accessToken: ghl.privateToken });
    await sql`
      insert into public.integrations (id, organization_id, provider, auth_type, external_account_id, credentials, credentials_key_id)
      values (${integrationId}, ${orgId}, 'ghl', 'private_token', ${ghl.locationId}, ${sealed.envelope}, ${sealed.keyId})`;
    const [bot] = await sql<{ id: string }[]>`
      insert into public.bots (organization_id, name, mode, channels, persona, guardrails)
      values (${orgId}, 'Front desk', 'auto', '{web,sms}', 'A friendly front desk assistant.', ${sql.json({ allowedTools: [] })}) returning id`;
    const botId = bot!.id;
    const [ghlContact, webGhlContact] = [...ghl.state.contacts.values()].filter((c) => c.phone && !c.dnd);
    const [webContact] = await sql<{ id: string }[]>`
      insert into public.contacts (organization_id, ghl_contact_id, name) values (${orgId}, ${webGhlContact!.id}, 'Ada') returning id`;

    workers.push(spawnWorker(taskQueue));
    // A web message through the API's update-with-start...
    const webReply = sendBotMessage({ temporal: temporal.client, taskQueue } as never, { orgId, botId, contactId: webContact!.id, channel: 'web', text: 'Hello from the web' });
    // ...and an SMS delivered by GHL, handed to the bots as the GHL event workflow does.
    const webhookId = `crash-${randomUUID()}`;
    const data = { type: 'InboundMessage', locationId: ghl.locationId, contactId: ghlContact!.id, body: 'Hello by SMS', messageId: `msg-${randomUUID()}`, messageType: 'SMS', direction: 'inbound' };
    await sql`insert into public.ghl_webhook_events (organization_id, webhook_id, type, location_id, body)
      values (${orgId}, ${webhookId}, 'InboundMessage', ${ghl.locationId}, ${sql.json({ type: 'InboundMessage', locationId: ghl.locationId, data })})`;
    const channel = await temporal.client.workflow.start('botChannelWorkflow', { workflowId: botChannelWorkflowId(orgId, webhookId), taskQueue, args: [{ orgId, webhookId }] });

    // Both turns are waiting on the model: kill the worker there, before any reply exists.
    await until('both turns to reach the model', async () => (proxy.held() >= 2 ? true : undefined));
    const replyRows = () => sql<{ session_id: string; text: string }[]>`
      select session_id, text from public.conversation_messages where organization_id = ${orgId} and role = 'assistant'`;
    expect(await replyRows()).toHaveLength(0);
    workers[0]!.kill('SIGKILL');
    await new Promise((r) => workers[0]!.once('exit', r));
    proxy.holding = false;
    workers.push(spawnWorker(taskQueue));

    // The web update answers once, with the reply of the turn that was cut short.
    const web = await webReply;
    expect(web).toMatchObject({ status: 'active', reply: expect.stringContaining('Hello from the web') });
    // The GHL delivery's hand-off to the conversation died with the worker: Temporal retries it
    // when its attempt times out, and the retry gets the same reply back instead of a new turn.
    const result = (await channel.result()) as BotChannelResult;
    expect(result).toMatchObject({ kind: 'inbound', reply: expect.stringContaining('Hello by SMS'), delivery: { status: 'sent' } });

    const rows = await sql<{ role: string; text: string; delivered_at: Date | null; contact: string }[]>`
      select m.role, m.text, m.delivered_at, c.ghl_contact_id as contact from public.conversation_messages m
      join public.conversation_sessions s on s.organization_id = m.organization_id and s.id = m.session_id
      join public.contacts c on c.organization_id = s.organization_id and c.id = s.contact_id
      where m.organization_id = ${orgId} order by c.ghl_contact_id, m.created_at, m.id`;
    const of = (contact: string) => rows.filter((r) => r.contact === contact).map((r) => [r.role, r.text]);
    expect(of(webGhlContact!.id)).toEqual([['user', 'Hello from the web'], ['assistant', web.reply]]);
    expect(of(ghlContact!.id)).toEqual([['user', 'Hello by SMS'], ['assistant', (result as { reply: string }).reply]]);
    expect(rows.find((r) => r.contact === ghlContact!.id && r.role === 'assistant')!.delivered_at).toBeInstanceOf(Date);

    // GHL was asked to send the reply once, and sent it once.
    const sends = ghl.requests.filter((r) => r.method === 'POST' && r.path === '/conversations/messages');
    expect(sends.map((r) => r.status)).toEqual([expect.any(Number)]);
    expect(sends[0]!.status).toBeLessThan(300);
    const outbound = [...ghl.state.messages.values()].filter((m) => m.direction === 'outbound');
    expect(outbound.map((m) => [m.contactId, m.body])).toEqual([[ghlContact!.id, (result as { reply: string }).reply]]);
  }, 600_000);
});
