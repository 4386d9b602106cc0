// Chaos on a stack of its own (test/chaos/stack.ts): with flow runs, commissions and GHL webhook
// deliveries in flight, the worker is SIGKILLed, the Temporal server and Postgres are stopped and
// started again, and GHL answers 500s and 429s. Afterwards every run completes, every webhook the
// API acknowledged is processed exactly once, no message is sent twice and nothing is paid twice.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { integrationContext, seal } from '../../db/secrets';
import { contactEvent, type Delivery, type FakeContact, type FakeGhl, startFakeGhl } from '../../fakes/ghl';
import { startFakeLlm, type FakeLlm } from '../../fakes/llm';
import { botChannelWorkflowId, type BotChannelResult } from '../../workflows/bots/channels';
import { commissionStateQuery } from '../../workflows/commissions/messages';
import { call, tokenFor } from '../helpers/api';
import { flow, flowApi, type FlowApi, startTargetServer, type TargetServer } from '../helpers/flow-api';
import { createTenant, type Tenant } from '../helpers/tenants';
import { until as waitUntil } from '../helpers/until';
import { type ChaosStack, startChaosStack } from './stack';

/** Patient, and a failing poll is "not yet": servers go away and come back meanwhile. */
const until = <T>(what: string, fn: () => Promise<T | undefined>) => waitUntil(what, fn, { timeoutMs: 100_000, intervalMs: 200, ignoreErrors: true });

describe('chaos: work in flight survives crashes and restarts', () => {
  let fake: FakeGhl;
  let llm: FakeLlm;
  let target: TargetServer;
  let stack: ChaosStack;
  let t: Tenant;
  let flows: FlowApi;
  let worker: ChildProcess;
  let contacts: FakeContact[];
  /** Every delivery attempt of every webhook sent to the API, with its final answer. */
  const deliveries: Delivery[][] = [];

  beforeAll(async () => {
    fake = await startFakeGhl({ seed: { contacts: 14 } });
    llm = await startFakeLlm();
    target = await startTargetServer({
      '/once': (_h, n) => ({ status: 200, body: { n } }),
      '/once-after': (_h, n) => ({ status: 200, body: { n } }),
      '/before': (_h, n) => ({ status: 200, body: { n } }),
      '/after': (_h, n) => ({ status: 200, body: { n } }),
      '/hook': () => ({ status: 200, body: { ok: true } }),
    });
    stack = await startChaosStack({
      name: 'restarts',
      ghlBaseUrl: fake.url,
      ghlWebhookKeys: fake.keys,
      workerEnv: { OPENAI_BASE_URL: llm.url, OPENAI_API_KEY: llm.apiKey },
    });
    t = await createTenant(stack.sql, 'chaos');
    await stack.sql`update public.team_members set commission_rate_bps = 750, commission_type = 'percentage' where id = ${t.teamMemberId}`;
    // The organization's GHL location is the fake's, its credentials sealed with the stack's key.
    const integrationId = randomUUID();
    const sealed = seal(stack.keyRing, integrationContext(t.orgId, integrationId), { kind: 'private_token', accessToken: fake.privateToken });
    await stack.sql`
      insert into public.integrations (id, organization_id, provider, auth_type, external_account_id, credentials, credentials_key_id)
      values (${integrationId}, ${t.orgId}, 'ghl', 'private_token', ${fake.locationId}, ${sealed.envelope}, ${sealed.keyId})`;
    flows = flowApi(stack.app.url, t.orgId, () => tokenFor(stack.app.auth, t.users.administrator.userId));
    // Each ContactCreate delivery starts this flow: it texts the contact through GHL, then calls
    // the target, both naming the delivery, so a doubled processing shows up in the counts.
    const onContact = await flows.create(
      flow(
        [
          ['on', 'trigger.event', { event: 'ghl.ContactCreate' }],
          ['text', 'ghl.message.send', { contactId: '{{ trigger.payload.id }}', type: 'SMS', message: 'Welcome ({{ trigger.ghl.webhookId }})' }],
          ['hook', 'http.request', { method: 'POST', url: `${target.url}/hook?w={{ trigger.ghl.webhookId }}` }],
        ],
        [['on', 'text'], ['text', 'hook']],
      ),
      'On contact',
    );
    await flows.publish(onContact.id);
    // A bot answering SMS: an inbound message delivered by GHL gets one reply, sent through GHL.
    await stack.sql`
      insert into public.bots (organization_id, name, mode, channels, persona)
      values (${t.orgId}, 'Front desk', 'auto', '{sms}', 'A friendly front desk assistant.')`;
    contacts = [...fake.state.contacts.values()].filter((c) => c.phone && !c.dnd);
    worker = stack.startWorker();
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    await target?.close();
    await llm?.close();
    await fake?.close();
  });

  const api = async (method: string, p: string, body?: unknown) =>
    call(stack.app.url, method, `/api/v1/orgs/${t.orgId}${p}`, { token: await tokenFor(stack.app.auth, t.users.administrator.userId), body });

  /** GHL delivers ContactCreate for the next `n` contacts (retrying on 429, as GHL does). */
  let nextContact = 0;
  function deliverContacts(n: number): Promise<Delivery[][]> {
    const batch = contacts.slice(nextContact, nextContact + n);
    nextContact += n;
    if (batch.length < n) throw new Error('the fake GHL has too few textable contacts');
    return Promise.all(
      batch.map(async (c) => {
        const attempts = await fake.webhooks.send(`${stack.app.url}/api/v1/integrations/ghl/webhooks`, contactEvent('ContactCreate', c), { maxRetries: 12, maxRetryDelayMs: 3000 });
        deliveries.push(attempts);
        return attempts;
      }),
    );
  }
  /** GHL delivers an inbound SMS from the last textable contacts (the ContactCreate ones come first). */
  let nextTexter = 0;
  async function deliverInboundSms(text: string): Promise<{ contactId: string; attempts: Delivery[] }> {
    nextTexter += 1;
    const contact = contacts[contacts.length - nextTexter]!;
    const event = { type: 'InboundMessage', locationId: fake.locationId, contactId: contact.id, body: text, messageId: `msg-${randomUUID()}`, messageType: 'SMS', direction: 'inbound', contentType: 'text/plain' };
    const attempts = await fake.webhooks.send(`${stack.app.url}/api/v1/integrations/ghl/webhooks`, event, { maxRetries: 12, maxRetryDelayMs: 3000 });
    return { contactId: contact.id, attempts };
  }
  const acknowledged = (attempts: Delivery[]) => attempts.some((a) => a.status !== null && a.status >= 200 && a.status < 300);

  /**
   * A manual flow: HTTP call, a timer, HTTP call; answers its execution id once the timer runs.
   * The second call's retry policy outlasts a database outage: an I/O node writes its step rows
   * itself, and a failed write spends one of the node's attempts: with the default policy (3
   * attempts over 3 s) a few seconds without Postgres fail the run.
   */
  async function runUntilTimer(first: string, second: string): Promise<string> {
    const wf = await flows.create(
      flow(
        [
          ['start', 'trigger.manual'],
          ['call', 'http.request', { method: 'GET', url: `${target.url}${first}` }],
          ['pause', 'wait.delay', { duration: '3s' }],
          ['then', 'http.request', { method: 'GET', url: `${target.url}${second}`, retry: { maximumAttempts: 10, maximumIntervalMs: 4000 } }],
          ['after', 'data.set', { fields: { n: '{{ nodes.call.output.body.n }}', m: '{{ nodes.then.output.body.n }}' } }],
        ],
        [['start', 'call'], ['call', 'pause'], ['pause', 'then'], ['then', 'after']],
      ),
      `Timer ${first}`,
    );
    await flows.publish(wf.id);
    const id = await flows.run(wf.id);
    await until('the timer to run', async () => ((await flows.get(id)).live?.nodes?.pause?.status === 'waiting' ? true : undefined));
    return id;
  }

  /** Sells, and answers the calculation once its workflow waits for approval. */
  async function saleAwaitingApproval(externalId: string, amountMinor: number): Promise<{ calcId: string; workflowId: string }> {
    const sale = await api('POST', '/sales-transactions', { externalId, amountMinor, currency: 'USD', teamMemberId: t.teamMemberId });
    expect(sale.status).toBe(201);
    const handle = stack.temporal.workflow.getHandle(sale.body.workflowId);
    await until('the commission to await approval', async () => ((await handle.query(commissionStateQuery)).phase === 'awaiting_approval' ? true : undefined));
    const [calc] = await stack.sql<{ id: string }[]>`select id from public.commission_calculations where transaction_id = ${sale.body.id}`;
    return { calcId: calc!.id, workflowId: sale.body.workflowId };
  }

  async function approve(commission: { calcId: string; workflowId: string }, amountMinor: number): Promise<void> {
    const approved = await until('the approval to be accepted', async () => {
      const res = await api('POST', `/commissions/${commission.calcId}/approve`, {});
      return res.status === 200 ? res : undefined;
    });
    expect(approved.body).toMatchObject({ id: commission.calcId, status: 'payable', amountMinor });
    expect((await stack.temporal.workflow.getHandle(commission.workflowId).result()).calculations).toEqual([{ id: commission.calcId, status: 'payable' }]);
  }

  it('a SIGKILLed worker and a restarted Temporal server lose and double nothing', async () => {
    const run = await runUntilTimer('/once', '/once-after');
    const commission = await saleAwaitingApproval('chaos-1', 80_001);

    await stack.killWorker(worker);
    // GHL deliveries while no worker runs: recorded and started, acknowledged at once. Their
    // texts meet GHL failing with 500s, then 429s.
    fake.failNext({ status: 500, method: 'POST', path: '/conversations/messages', times: 2 });
    fake.failNext({ status: 429, method: 'POST', path: '/conversations/messages', times: 2 });
    const whileWorkerDead = await deliverContacts(3);
    expect(whileWorkerDead.map(acknowledged)).toEqual([true, true, true]);
    const sms = await Promise.all([deliverInboundSms('Hello from a dead worker'), deliverInboundSms('Anyone there?')]);
    expect(sms.map((d) => acknowledged(d.attempts))).toEqual([true, true]);

    // Temporal goes away with everything above in its SQLite file; deliveries meanwhile are
    // refused with 429 (or wait) until it is back, and GHL retries them.
    await stack.stopTemporal();
    const whileTemporalDown = deliverContacts(2);
    await new Promise((r) => setTimeout(r, 2000));
    await stack.startTemporal();
    worker = stack.startWorker();

    const done = await until('the flow run to finish', async () => {
      const e = await flows.get(run);
      return ['succeeded', 'failed', 'cancelled'].includes(e.status) ? e : undefined;
    });
    expect(done.status).toBe('succeeded');
    // The call before the timer ran once, and was not repeated by the new worker.
    expect(done.steps.find((s: { nodeId: string }) => s.nodeId === 'call')).toMatchObject({ status: 'succeeded', attempt: 1 });
    await approve(commission, 6_000);
    // Sent while Temporal was down: answered once it was back (or refused with 429, then retried).
    expect((await whileTemporalDown).map(acknowledged)).toEqual([true, true]);

    const payout = await api('POST', '/payouts/run', {});
    expect(payout.body.payouts).toEqual([expect.objectContaining({ totalMinor: 6_000, itemCount: 1 })]);
    const [counts] = await stack.sql<{ sales: number; calcs: number; items: number }[]>`
      select (select count(*)::int from public.sales_transactions where organization_id = ${t.orgId}) as sales,
             (select count(*)::int from public.commission_calculations where organization_id = ${t.orgId}) as calcs,
             (select count(*)::int from public.commission_payout_items where organization_id = ${t.orgId}) as items`;
    expect(counts).toEqual({ sales: 1, calcs: 1, items: 1 });
    expect(target.hits.filter((h) => h.path === '/once')).toHaveLength(1);
    await expectEachAcknowledgedOnce();

    // Each inbound SMS: processed once, one conversation of one question and one answer, whose
    // answer GHL sent once.
    for (const { contactId, attempts } of sms) {
      const webhookId = attempts[0]!.webhookId;
      // Started by the delivery's workflow as a child: "not found" until then.
      const handle = stack.temporal.workflow.getHandle(botChannelWorkflowId(t.orgId, webhookId));
      const result = await until('the SMS to reach the bot', () => handle.result() as Promise<BotChannelResult>);
      expect(result).toMatchObject({ kind: 'inbound', delivery: { status: 'sent' } });
      const rows = await stack.sql<{ role: string; text: string }[]>`
        select m.role, m.text from public.conversation_messages m
        join public.conversation_sessions s on s.organization_id = m.organization_id and s.id = m.session_id
        join public.contacts c on c.organization_id = s.organization_id and c.id = s.contact_id
        where m.organization_id = ${t.orgId} and c.ghl_contact_id = ${contactId} order by m.created_at, m.id`;
      const reply = (result as { reply: string }).reply;
      expect(rows.map((r) => [r.role, r.text])).toEqual([['user', JSON.parse(attempts[0]!.body).body], ['assistant', reply]]);
      expect([...fake.state.messages.values()].filter((m) => m.contactId === contactId && m.direction === 'outbound').map((m) => m.body)).toEqual([reply]);
    }
    const [events] = await stack.sql<{ processed: number }[]>`
      select count(*)::int as processed from public.ghl_webhook_events
      where organization_id = ${t.orgId} and webhook_id = any(${sms.map((d) => d.attempts[0]!.webhookId)}) and processed_at is not null`;
    expect(events!.processed).toBe(2);
    // GHL did fail the texts: twice with 500, twice (at least: its burst limit may add some) with 429.
    const sends = fake.requests.filter((r) => r.method === 'POST' && r.path === '/conversations/messages').map((r) => r.status);
    // One successful send per message GHL holds: 5 welcome texts and 2 bot replies.
    expect(sends.filter((s) => s < 300)).toHaveLength([...fake.state.messages.values()].filter((m) => m.direction === 'outbound').length);
    expect(sends.filter((s) => s < 300)).toHaveLength(7);
    expect(sends.filter((s) => s === 500)).toHaveLength(2);
    expect(sends.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
  }, 240_000);

  it('a Postgres restart mid-run is retried through: runs finish, deliveries are processed once', async () => {
    const run = await runUntilTimer('/before', '/after');
    const commission = await saleAwaitingApproval('chaos-2', 40_000);

    await stack.stopPostgres();
    // Deliveries while the database is down cannot be recorded: 429, and GHL retries them.
    const whileDatabaseDown = deliverContacts(2);
    // The timer fires meanwhile: the worker's next activities fail until the database is back.
    await new Promise((r) => setTimeout(r, 4000));
    await stack.startPostgres();

    const done = await until('the flow run to finish', async () => {
      const e = await flows.get(run);
      return ['succeeded', 'failed', 'cancelled'].includes(e.status) ? e : undefined;
    });
    expect(done.status).toBe('succeeded');
    expect(done.output).toEqual({ after: { n: 1, m: 1 } });
    expect(target.hits.filter((h) => h.path === '/before')).toHaveLength(1);
    expect(target.hits.filter((h) => h.path === '/after')).toHaveLength(1);
    await approve(commission, 3_000);
    // Refused while the database was down (nothing recorded, so 429: GHL's only retry signal),
    // then acknowledged on a retry.
    const refused = await whileDatabaseDown;
    expect(refused.map((attempts) => [attempts[0]!.status, acknowledged(attempts)])).toEqual([[429, true], [429, true]]);
    const [counts] = await stack.sql<{ sales: number; calcs: number; payable: number }[]>`
      select (select count(*)::int from public.sales_transactions where organization_id = ${t.orgId}) as sales,
             (select count(*)::int from public.commission_calculations where organization_id = ${t.orgId}) as calcs,
             (select count(*)::int from public.commission_calculations where organization_id = ${t.orgId} and status = 'payable') as payable`;
    expect(counts).toEqual({ sales: 2, calcs: 2, payable: 2 });
    await expectEachAcknowledgedOnce();
  }, 240_000);

  /**
   * Every delivery the API acknowledged so far: recorded once and processed, its flow run once
   * and succeeded, its text sent through GHL once, and the target called once for it.
   */
  async function expectEachAcknowledgedOnce(): Promise<void> {
    const acked = [...new Set(deliveries.filter(acknowledged).map((a) => a[0]!.webhookId))];
    expect(acked.length).toBeGreaterThan(0);
    await until('every acknowledged delivery to be processed and its flow run to finish', async () => {
      const [row] = await stack.sql<{ processed: number; finished: number }[]>`
        select (select count(*)::int from public.ghl_webhook_events where organization_id = ${t.orgId} and webhook_id = any(${acked}) and processed_at is not null) as processed,
               (select count(*)::int from public.executions where organization_id = ${t.orgId} and trigger_type = 'event' and status in ('succeeded', 'failed', 'cancelled')) as finished`;
      return row!.processed === acked.length && row!.finished >= acked.length ? true : undefined;
    });
    const runs = await stack.sql<{ webhook_id: string; status: string }[]>`
      select input->'ghl'->>'webhookId' as webhook_id, status from public.executions
      where organization_id = ${t.orgId} and trigger_type = 'event'`;
    for (const id of acked) expect(runs.filter((r) => r.webhook_id === id).map((r) => r.status)).toEqual(['succeeded']);
    const texts = [...fake.state.messages.values()].filter((m) => m.direction === 'outbound' && m.body?.startsWith('Welcome ('));
    for (const id of acked) {
      expect(texts.filter((m) => m.body === `Welcome (${id})`)).toHaveLength(1);
      expect(target.hits.filter((h) => h.path === `/hook?w=${id}`)).toHaveLength(1);
    }
    // Nothing beyond the acknowledged ones: a refused delivery is retried, not processed twice.
    expect(runs).toHaveLength(acked.length);
    expect(texts).toHaveLength(acked.length);
    expect(target.hits.filter((h) => h.path.startsWith('/hook'))).toHaveLength(acked.length);
  }
});
