import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Sql } from '../../db/client';
import { startFakeGhl, type FakeGhl } from '../../fakes/ghl';
import { startContactsSync } from '../../api/integrations/sync-schedule';
import { ghlEventWorkflowId } from '../../workflows/ghl/event';
import { call, tokenFor } from '../helpers/api';
import { startApp, type RunningApp } from '../helpers/app';
import { testSql } from '../helpers/db';
import { createContact, createIntegration } from '../helpers/integrations';
import { createTenant, type Tenant } from '../helpers/tenants';
import { until } from '../helpers/until';
import { connectClient, startWorker, type RunningWorker } from '../helpers/worker';

// Deleting a contact in Flowline over HTTP, on the real stack: the contact stays in GHL (the
// fake), GHL's later events and syncs keep it deleted here, and only a restore brings it back.

// Stand-in for GHL's webhook signing key: the app trusts its public half, as it does GHL's.
const ed = generateKeyPairSync('ed25519');

describe('contacts trash', () => {
  let sql: Sql;
  let fake: FakeGhl;
  let worker: RunningWorker;
  let app: RunningApp;
  let temporal: { client: Client; close: () => Promise<void> };
  let t: Tenant;
  let other: Tenant;
  let integrationId: string;
  const tokens = {} as Record<'owner' | 'administrator' | 'sales' | 'viewer' | 'bot_trainer' | 'otherOwner', string>;

  beforeAll(async () => {
    sql = testSql();
    fake = await startFakeGhl({ seed: { contacts: 5 } });
    worker = await startWorker({ ghl: { baseUrl: fake.url } });
    const ed25519PublicKeyPem = ed.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    app = await startApp({ taskQueue: worker.taskQueue, ghl: { baseUrl: fake.url, webhookKeys: { ed25519PublicKeyPem } } });
    temporal = await connectClient();
    t = await createTenant(sql, 'trash-contacts');
    other = await createTenant(sql, 'trash-contacts-other');
    ({ id: integrationId } = await createIntegration(sql, t.orgId, { locationId: fake.locationId, token: fake.privateToken }));
    for (const role of ['owner', 'administrator', 'sales', 'viewer', 'bot_trainer'] as const) tokens[role] = await tokenFor(app.auth, t.users[role].userId);
    tokens.otherOwner = await tokenFor(app.auth, other.users.owner.userId);
  });
  afterAll(async () => {
    await temporal?.close();
    await app?.close();
    await worker?.stop();
    await fake?.close();
    await sql?.end();
  });

  const api = (token: string, method: string, p: string, orgId = t.orgId) => call(app.url, method, `/api/v1/orgs/${orgId}${p}`, { token });
  const listed = async (query = '') => (await api(tokens.owner, 'GET', `/contacts?limit=100${query}`)).body.items.map((c: { id: string }) => c.id) as string[];
  const row = async (id: string) =>
    (await sql<{ name: string | null; deleted_at: Date | null; deleted_reason: string | null; deleted_by: string | null }[]>`
      select name, deleted_at, deleted_reason, deleted_by from public.contacts where id = ${id}`)[0]!;

  function postWebhook(body: Record<string, unknown>) {
    const raw = JSON.stringify(body);
    return fetch(`${app.url}/api/v1/integrations/ghl/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ghl-signature': sign(null, Buffer.from(raw), ed.privateKey).toString('base64') },
      body: raw,
    });
  }
  const contactEvent = (type: string, ghlContactId: string, firstName: string) => ({
    type,
    locationId: fake.locationId,
    id: ghlContactId,
    firstName,
    lastName: 'Lovelace',
    email: `${ghlContactId.toLowerCase()}@example.test`,
    tags: ['lead'],
    customFields: [],
    timestamp: new Date().toISOString(),
    webhookId: randomUUID(),
  });
  const contactIdOf = async (ghlContactId: string) =>
    (await sql<{ id: string }[]>`select id from public.contacts where organization_id = ${t.orgId} and ghl_contact_id = ${ghlContactId}`)[0]!.id;
  const processed = (webhookId: string) =>
    until('the delivery to be processed', async () => {
      const [r] = await sql`select 1 from public.ghl_webhook_events where organization_id = ${t.orgId} and webhook_id = ${webhookId} and processed_at is not null`;
      return r;
    }, { timeoutMs: 60_000, intervalMs: 200 });

  it('hides a deleted contact from the list, lists it in the trash with its restore deadline, and restores it', async () => {
    const id = await createContact(sql, t.orgId, 'Trash Me');
    expect(await listed()).toContain(id);

    const deleted = await api(tokens.administrator, 'DELETE', `/contacts/${id}`);
    expect(deleted.status).toBe(204);
    expect(await listed()).not.toContain(id);
    expect(await row(id)).toMatchObject({ deleted_reason: 'user', deleted_by: t.users.administrator.userId });

    const trash = await api(tokens.owner, 'GET', '/contacts?deleted=true&limit=100');
    const entry = trash.body.items.find((c: { id: string }) => c.id === id);
    expect(entry).toMatchObject({ deletedBy: 'user', deletedAt: expect.any(String) });
    // The default window: 30 days after the delete.
    expect(Date.parse(entry.restorableUntil) - Date.parse(entry.deletedAt)).toBe(30 * 86_400_000);
    expect(trash.body.items.every((c: { deletedAt: string | null }) => c.deletedAt !== null)).toBe(true);

    const again = await api(tokens.owner, 'DELETE', `/contacts/${id}`);
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');

    const restored = await api(tokens.owner, 'POST', `/contacts/${id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id, deletedAt: null, deletedBy: null, restorableUntil: null });
    expect(await listed()).toContain(id);
    expect((await api(tokens.owner, 'POST', `/contacts/${id}/restore`)).body.detail).toBe('This contact is not deleted');
  });

  it('lets only members allowed to delete contacts delete or restore them, and answers 404 for another organization', async () => {
    const id = await createContact(sql, t.orgId);
    for (const role of ['sales', 'viewer', 'bot_trainer'] as const) {
      expect((await api(tokens[role], 'DELETE', `/contacts/${id}`)).status).toBe(403);
    }
    expect((await api(tokens.otherOwner, 'DELETE', `/contacts/${id}`, other.orgId)).status).toBe(404);
    expect((await row(id)).deleted_at).toBeNull();

    expect((await api(tokens.owner, 'DELETE', `/contacts/${id}`)).status).toBe(204);
    expect((await api(tokens.sales, 'POST', `/contacts/${id}/restore`)).status).toBe(403);
    const smuggled = await api(tokens.otherOwner, 'POST', `/contacts/${id}/restore`, other.orgId);
    expect(smuggled.status).toBe(404);
    expect((await row(id)).deleted_reason).toBe('user');
    expect((await api(tokens.owner, 'POST', `/contacts/${randomUUID()}/restore`)).status).toBe(404);
  });

  it('keeps a contact deleted here deleted when GHL updates it, while its fields follow GHL; GHL events for it start nothing', async () => {
    const ghlId = `wh${randomUUID().replaceAll('-', '').slice(0, 18)}`;
    const created = contactEvent('ContactCreate', ghlId, 'Ada');
    expect((await postWebhook(created)).status).toBe(200);
    await processed(created.webhookId);
    const id = await contactIdOf(ghlId);
    expect((await api(tokens.owner, 'DELETE', `/contacts/${id}`)).status).toBe(204);

    // A published flow on contact updates: it runs for a live contact, not for this one.
    const definition = {
      nodes: [
        { id: 'on', type: 'trigger.event', position: { x: 0, y: 0 }, data: { event: 'ghl.ContactUpdate' } },
        { id: 'who', type: 'data.set', position: { x: 200, y: 0 }, data: { fields: { email: '{{ trigger.payload.email }}' } } },
      ],
      edges: [{ id: 'e1', source: 'on', target: 'who', sourceHandle: 'out' }],
    };
    const wf = await call(app.url, 'POST', `/api/v1/orgs/${t.orgId}/workflows`, { token: tokens.owner, body: { name: 'On contact update', definition } });
    expect((await call(app.url, 'POST', `/api/v1/orgs/${t.orgId}/workflows/${wf.body.id}/publish`, { token: tokens.owner, body: {} })).status).toBe(201);
    const runsOf = async (email: string) =>
      (await sql<{ n: number }[]>`select count(*)::int as n from public.executions
        where organization_id = ${t.orgId} and workflow_id = ${wf.body.id} and input -> 'payload' ->> 'email' = ${email}`)[0]!.n;

    const updated = contactEvent('ContactUpdate', ghlId, 'Augusta');
    expect((await postWebhook(updated)).status).toBe(200);
    await temporal.client.workflow.getHandle(ghlEventWorkflowId(t.orgId, updated.webhookId)).result();
    expect(await row(id)).toMatchObject({ name: 'Augusta Lovelace', deleted_reason: 'user', deleted_at: expect.any(Date) });
    expect(await listed()).not.toContain(id);
    expect(await runsOf(updated.email)).toBe(0);

    const liveId = `lv${randomUUID().replaceAll('-', '').slice(0, 18)}`;
    const live = contactEvent('ContactUpdate', liveId, 'Live');
    expect((await postWebhook(live)).status).toBe(200);
    await temporal.client.workflow.getHandle(ghlEventWorkflowId(t.orgId, live.webhookId)).result();
    expect(await runsOf(live.email)).toBe(1);
    await sql`update public.workflows set status = 'disabled' where id = ${wf.body.id}`;

    // Restorable, and then live with GHL's latest fields.
    const restored = await api(tokens.owner, 'POST', `/contacts/${id}/restore`);
    expect(restored.body).toMatchObject({ name: 'Augusta Lovelace', deletedAt: null });
  });

  it('keeps a contact deleted here deleted through a GHL sync that still lists it', async () => {
    const first = await startContactsSync({ temporal: temporal.client, taskQueue: worker.taskQueue }, t.orgId, integrationId, { pageSize: 50, pagesPerRun: 2 });
    await temporal.client.workflow.getHandle(first).result();
    const fakeContact = [...fake.state.contacts.values()][0]!;
    const id = await contactIdOf(fakeContact.id);
    expect((await api(tokens.owner, 'DELETE', `/contacts/${id}`)).status).toBe(204);

    fakeContact.lastName = 'Resynced';
    fakeContact.dateUpdated = new Date().toISOString();
    const second = await startContactsSync({ temporal: temporal.client, taskQueue: worker.taskQueue }, t.orgId, integrationId, { pageSize: 50, pagesPerRun: 2 });
    await temporal.client.workflow.getHandle(second).result();
    const after = await row(id);
    expect(after.name).toContain('Resynced');
    expect(after.deleted_reason).toBe('user');
    expect(await listed()).not.toContain(id);
  });

  it('refuses to restore a contact GHL deleted (409), and hands a contact deleted here over to GHL when GHL deletes it too', async () => {
    const ghlId = `gd${randomUUID().replaceAll('-', '').slice(0, 18)}`;
    const created = contactEvent('ContactCreate', ghlId, 'Grace');
    await postWebhook(created);
    await processed(created.webhookId);
    const id = await contactIdOf(ghlId);
    expect((await api(tokens.owner, 'DELETE', `/contacts/${id}`)).status).toBe(204);

    const gone = contactEvent('ContactDelete', ghlId, 'Grace');
    await postWebhook(gone);
    await processed(gone.webhookId);
    expect(await row(id)).toMatchObject({ deleted_reason: 'ghl', deleted_by: null });

    const refused = await api(tokens.owner, 'POST', `/contacts/${id}/restore`);
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.detail).toMatch(/deleted in GoHighLevel/);
    const trash = await api(tokens.owner, 'GET', '/contacts?deleted=true&limit=100');
    expect(trash.body.items.find((c: { id: string }) => c.id === id)).toMatchObject({ deletedBy: 'ghl', restorableUntil: null });
  });

  it('refuses a restore past the organization\'s trash retention window (409)', async () => {
    await sql`update public.organizations set settings = settings || '{"trashRetentionDays": 7}'::jsonb where id = ${t.orgId}`;
    try {
      const id = await createContact(sql, t.orgId);
      expect((await api(tokens.owner, 'DELETE', `/contacts/${id}`)).status).toBe(204);
      await sql`update public.contacts set deleted_at = now() - interval '8 days' where id = ${id}`;
      const late = await api(tokens.owner, 'POST', `/contacts/${id}/restore`);
      expect(late.status).toBe(409);
      expect(late.body.detail).toMatch(/can no longer be restored/);
      expect((await row(id)).deleted_reason).toBe('user');

      await sql`update public.contacts set deleted_at = now() - interval '6 days' where id = ${id}`;
      expect((await api(tokens.owner, 'POST', `/contacts/${id}/restore`)).status).toBe(200);
    } finally {
      await sql`update public.organizations set settings = settings - 'trashRetentionDays' where id = ${t.orgId}`;
    }
  });
});
