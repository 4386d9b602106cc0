import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path_ from 'node:path';
import type { Client } from '@temporalio/client';
import type { Sql } from '../../db/client';
import { call, tokenFor } from '../helpers/api';
import { startApp, type RunningApp } from '../helpers/app';
import { testSql } from '../helpers/db';
import { createIntegration } from '../helpers/integrations';
import { createTenant, type Tenant } from '../helpers/tenants';
import { connectClient, startWorker, type RunningWorker } from '../helpers/worker';
import { until as waitUntil } from '../helpers/until';

// GHL signs the exact raw body: Ed25519 in x-ghl-signature, RSA-SHA256 in the legacy
// x-wh-signature (both base64). These keys stand in for GHL's; the app is configured with their
// public halves, as a deployment is with GHL's.
const ed = generateKeyPairSync('ed25519');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (k: typeof ed.publicKey) => k.export({ type: 'spki', format: 'pem' }).toString();

type Scheme = 'ed25519' | 'rsa' | 'none';
function signed(body: unknown, scheme: Scheme = 'ed25519'): { raw: string; headers: Record<string, string> } {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (scheme === 'ed25519') headers['x-ghl-signature'] = sign(null, Buffer.from(raw), ed.privateKey).toString('base64');
  if (scheme === 'rsa') headers['x-wh-signature'] = sign('sha256', Buffer.from(raw), rsa.privateKey).toString('base64');
  return { raw, headers };
}

function contactEvent(locationId: string, contactId: string, over: Record<string, unknown> = {}) {
  return {
    type: 'ContactCreate',
    locationId,
    id: contactId,
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: `${contactId}@example.test`,
    phone: '+15550100',
    tags: ['lead'],
    dateAdded: '2026-11-01T10:00:00.000Z',
    customFields: [],
    timestamp: new Date().toISOString(),
    webhookId: randomUUID(),
    ...over,
  };
}

/** More patient than the default: workers and servers restart meanwhile. */
const until = <T>(what: string, fn: () => Promise<T | undefined>, timeoutMs?: number) => waitUntil(what, fn, { timeoutMs: timeoutMs ?? 90_000, intervalMs: 250 });

describe('GHL webhooks over HTTP, on the real stack', () => {
  let sql: Sql;
  let worker: RunningWorker;
  let app: RunningApp;
  let temporal: { client: Client; close: () => Promise<void> };
  beforeAll(async () => {
    sql = testSql();
    worker = await startWorker();
    app = await startApp({ taskQueue: worker.taskQueue, ghl: { webhookKeys: { ed25519PublicKeyPem: pem(ed.publicKey), rsaPublicKeyPem: pem(rsa.publicKey) } } });
    temporal = await connectClient();
  });
  afterAll(async () => {
    await temporal?.close();
    await app?.close();
    await worker?.stop();
    await sql?.end();
  });

  const post = (body: unknown, scheme: Scheme = 'ed25519') => {
    const { raw, headers } = signed(body, scheme);
    return fetch(`${app.url}/api/v1/integrations/ghl/webhooks`, { method: 'POST', headers, body: raw });
  };
  const deliveries = async (orgId: string) =>
    (await sql<{ n: number }[]>`select count(*)::int as n from public.ghl_webhook_events where organization_id = ${orgId}`)[0]!.n;

  async function connected(label: string): Promise<{ t: Tenant; locationId: string }> {
    const t = await createTenant(sql, label);
    const { locationId } = await createIntegration(sql, t.orgId);
    return { t, locationId };
  }

  it('accepts Ed25519 and RSA signatures, and refuses bad, missing, stale, malformed and unrouted deliveries, storing nothing for them', async () => {
    const { t, locationId } = await connected('hooks-verify');
    const good = contactEvent(locationId, 'c-ed');
    expect((await post(good)).status).toBe(200);
    expect((await post(contactEvent(locationId, 'c-rsa'), 'rsa')).status).toBe(200);

    const tampered = signed(contactEvent(locationId, 'c-bad'));
    const bad = await fetch(`${app.url}/api/v1/integrations/ghl/webhooks`, { method: 'POST', headers: tampered.headers, body: tampered.raw.replace('Ada', 'Eve') });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect((await post(contactEvent(locationId, 'c-none'), 'none')).status).toBe(401);
    expect((await post(contactEvent(locationId, 'c-old', { timestamp: new Date(Date.now() - 6 * 60_000).toISOString() }))).status).toBe(401);
    expect((await post('{"type": "ContactCreate", ')).status).toBe(400);
    expect((await post(contactEvent('loc-nobody-connected', 'c-x'))).status).toBe(404);

    // A replay of the same webhookId is acknowledged and starts nothing new.
    const replay = await post(good);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ received: true, duplicate: true });
    expect(await deliveries(t.orgId)).toBe(2);
    const contact = await until('the contact to sync', async () => {
      const [row] = await sql`select name, email, tags from public.contacts where organization_id = ${t.orgId} and ghl_contact_id = 'c-ed'`;
      return row;
    });
    expect(contact).toEqual({ name: 'Ada Lovelace', email: 'c-ed@example.test', tags: ['lead'] });
  });

  it('1,000 deliveries with 30% duplicates, shuffled: each event is recorded and processed exactly once, and contacts end on their newest state', async () => {
    const { t, locationId } = await connected('hooks-load');
    const unique = [];
    const base = Date.now() - 120_000;
    // 70 contacts, each created then updated ten times; shuffled, the latest update must win.
    for (let c = 0; c < 70; c++) {
      for (let v = 0; v < 10; v++) {
        unique.push(contactEvent(locationId, `c-${c}`, {
          type: v === 0 ? 'ContactCreate' : 'ContactUpdate',
          firstName: `v${v}`,
          tags: [`v${v}`],
          timestamp: new Date(base + v * 1000 + c).toISOString(),
        }));
      }
    }
    unique.push(...Array.from({ length: 70 }, (_, i) => contactEvent(locationId, `solo-${i}`)));
    const all = [...unique, ...unique.slice(0, 230)];
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    expect(all).toHaveLength(1000);

    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < all.length) statuses.push((await post(all[next++])).status);
      }),
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(await deliveries(t.orgId)).toBe(unique.length);
    await until('every delivery to be processed', async () => {
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from public.ghl_webhook_events where organization_id = ${t.orgId} and processed_at is not null`;
      return row!.n === unique.length ? true : undefined;
    });
    const started = await until('visibility to list every processing run', async () => {
      const n = (await temporal.client.workflow.count(`OrganizationId = "${t.orgId}" AND Kind = "ghl-event"`)).count;
      return n >= unique.length ? n : undefined;
    });
    expect(started).toBe(unique.length);
    const contacts = await sql<{ ghl_contact_id: string; first_name: string; tags: string[] }[]>`
      select ghl_contact_id, first_name, tags from public.contacts where organization_id = ${t.orgId} and ghl_contact_id like 'c-%'`;
    expect(contacts).toHaveLength(70);
    expect(contacts.filter((c) => c.first_name !== 'v9' || c.tags.join() !== 'v9')).toEqual([]);
  });

  it('starts every published flow whose trigger.event names the GHL event, with the event as its payload', async () => {
    const { t, locationId } = await connected('hooks-flows');
    const token = await tokenFor(app.auth, t.users.owner.userId);
    const definition = {
      nodes: [
        { id: 'on', type: 'trigger.event', position: { x: 0, y: 0 }, data: { event: 'ghl.ContactCreate' } },
        { id: 'who', type: 'data.set', position: { x: 200, y: 0 }, data: { fields: { email: '{{ trigger.payload.email }}' } } },
      ],
      edges: [{ id: 'e1', source: 'on', target: 'who', sourceHandle: 'out' }],
    };
    const wf = await call(app.url, 'POST', `/api/v1/orgs/${t.orgId}/workflows`, { token, body: { name: 'On new contact', definition } });
    expect((await call(app.url, 'POST', `/api/v1/orgs/${t.orgId}/workflows/${wf.body.id}/publish`, { token, body: {} })).status).toBe(201);

    const event = contactEvent(locationId, 'c-flow');
    expect((await post(event)).status).toBe(200);
    expect((await post(event)).status).toBe(200); // a redelivery starts no second run
    const run = await until('the flow run to finish', async () => {
      const [row] = await sql<{ id: string; status: string; trigger_type: string }[]>`
        select id, status, trigger_type from public.executions where organization_id = ${t.orgId} and workflow_id = ${wf.body.id}`;
      return row && row.status === 'succeeded' ? row : undefined;
    });
    expect(run.trigger_type).toBe('event');
    const [step] = await sql`select output from public.execution_steps where execution_id = ${run.id} and node_id = 'who'`;
    expect(step!.output).toEqual({ email: 'c-flow@example.test' });
    const [count] = await sql<{ n: number }[]>`select count(*)::int as n from public.executions where workflow_id = ${wf.body.id}`;
    expect(count!.n).toBe(1);
  });

  it("takes a GHL workflow's Webhook action at the integration's secret URL: once per payment, contact synced, nothing for a wrong token or location", async () => {
    const { t, locationId } = await connected('hooks-workflow');
    const token = await tokenFor(app.auth, t.users.owner.userId);
    const list = await call(app.url, 'GET', `/api/v1/orgs/${t.orgId}/integrations`, { token });
    const path: string = list.body.items[0].workflowWebhookPath;
    expect(path).toMatch(/^\/api\/v1\/integrations\/ghl\/workflow-webhooks\/[0-9a-f]{48}$/);
    const fixture = JSON.parse(readFileSync(path_.join(__dirname, '..', 'fixtures', 'ghl-webhooks', 'workflow-webhook-payment-received.json'), 'utf8'));
    const body = JSON.stringify({ ...fixture, location: { ...fixture.location, id: locationId } });
    const send = (url: string, b = body) => fetch(`${app.url}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: b });

    const first = await send(path);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true, duplicate: false });
    expect(await (await send(path)).json()).toEqual({ received: true, duplicate: true });
    expect((await send(path.replace(/.{6}$/, '000000'))).status).toBe(404);
    expect((await send(path, JSON.stringify({ ...fixture, location: { ...fixture.location, id: 'another-location' } }))).status).toBe(422);
    expect((await send(path, '{ not json')).status).toBe(400);
    expect(await deliveries(t.orgId)).toBe(1);
    const contact = await until('the contact of the workflow webhook', async () => {
      const [row] = await sql`select name, email, tags from public.contacts where organization_id = ${t.orgId} and ghl_contact_id = ${fixture.contact_id}`;
      return row;
    });
    expect(contact).toEqual({ name: 'Jordan Rivera', email: 'jordan.rivera@example.com', tags: ['lead', 'wedding'] });
  });
});
