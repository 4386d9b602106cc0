import { randomBytes } from 'node:crypto';
import { type Client, ScheduleNotFoundError, WorkflowFailedError } from '@temporalio/client';
import type { Sql } from '../../db/client';
import { startFakeGhl, type FakeContact, type FakeGhl } from '../../fakes/ghl';
import { ensureContactsSyncSchedule, removeContactsSyncSchedule, startContactsSync } from '../../api/integrations/sync-schedule';
import type { ContactsSyncResult } from '../../workflows/ghl/contacts-sync';
import { testSql } from '../helpers/db';
import { createContact, createIntegration } from '../helpers/integrations';
import { createOrg } from '../helpers/tenants';
import { connectClient, startWorker, type RunningWorker } from '../helpers/worker';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const ghlLikeId = () => [...randomBytes(20)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');

interface Row {
  ghl_contact_id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  tags: string[];
  assigned_to: string | null;
  deleted: boolean;
}

const expected = (c: FakeContact): Row => ({
  ghl_contact_id: c.id,
  name: [c.firstName, c.lastName].filter(Boolean).join(' ') || null,
  email: c.email ?? null,
  phone: c.phone ?? null,
  tags: c.tags,
  assigned_to: c.assignedTo ?? null,
  deleted: false,
});

/** Every string a history holds, payloads decoded: what a reader of the history could see. */
function textOf(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (Array.isArray(value)) return value.map(textOf).join('\n');
  if (value && typeof value === 'object') return Object.values(value).map(textOf).join('\n');
  return typeof value === 'string' ? value : '';
}

describe('GHL contacts reconciliation, on the real stack against the fake GHL', () => {
  let sql: Sql;
  let fake: FakeGhl;
  let worker: RunningWorker;
  let temporal: { client: Client; close: () => Promise<void> };
  let services: { temporal: Client; taskQueue: string };
  let orgId: string;
  let integrationId: string;

  beforeAll(async () => {
    sql = testSql();
    fake = await startFakeGhl({ seed: { contacts: 250 } });
    worker = await startWorker({ ghl: { baseUrl: fake.url } });
    temporal = await connectClient();
    services = { temporal: temporal.client, taskQueue: worker.taskQueue };
    orgId = await createOrg(sql, 'ghl-sync');
    ({ id: integrationId } = await createIntegration(sql, orgId, { locationId: fake.locationId, token: fake.privateToken }));
  });
  afterAll(async () => {
    await temporal?.close();
    await worker?.stop();
    await fake?.close();
    await sql?.end();
  });

  const rows = async (org = orgId, integration = integrationId) =>
    sql<Row[]>`
      select ghl_contact_id, name, email, phone, tags, assigned_to, deleted_at is not null as deleted
      from public.contacts where organization_id = ${org} and integration_id = ${integration} order by ghl_contact_id`;
  const fakeRows = (except: string[] = []) =>
    [...fake.state.contacts.values()].filter((c) => !except.includes(c.id)).map(expected).sort((a, b) => (a.ghl_contact_id < b.ghl_contact_id ? -1 : 1));

  async function sync(options = { pageSize: 50, pagesPerRun: 2 }): Promise<{ workflowId: string; result: ContactsSyncResult }> {
    const workflowId = await startContactsSync(services, orgId, integrationId, options);
    const result = await temporal.client.workflow.getHandle<() => Promise<ContactsSyncResult>>(workflowId).result();
    return { workflowId, result };
  }

  /** The histories of every run of the latest sync, walking continue-as-new back from the last. */
  async function histories(workflowId: string): Promise<unknown[]> {
    let runId: string | undefined = undefined;
    const all: unknown[] = [];
    do {
      const history = await temporal.client.workflow.getHandle(workflowId, runId).fetchHistory();
      all.unshift(history);
      runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
    } while (runId);
    return all;
  }

  it('copies every contact on the first run, in pages, continuing as new, with no contact data in the history', async () => {
    const { workflowId, result } = await sync();
    // 250 contacts in pages of 50: five full pages, then an empty one says the listing ended.
    expect(result).toEqual({ pages: 6, upserted: 250, unchanged: 0, deleted: 0, syncId: expect.any(String), skipped: false });
    expect(await rows()).toEqual(fakeRows());

    const runs = await histories(workflowId);
    expect(runs.length).toBe(3);
    const text = runs.map(textOf).join('\n');
    // The decoding works (the input's org id is there), and no contact's data is.
    expect(text).toContain(orgId);
    for (const c of [...fake.state.contacts.values()].slice(0, 25)) {
      expect(text).not.toContain(c.email!);
      expect(text).not.toContain(c.phone!);
    }
    const [run] = await sql`select pages, upserted, unchanged, deleted, finished_at is not null as finished from public.contacts_sync_runs where id = ${result.syncId}`;
    expect(run).toEqual({ pages: 6, upserted: 250, unchanged: 0, deleted: 0, finished: true });
    expect((await sql`select count(*)::int as n from public.contacts_sync_seen where sync_id = ${result.syncId}`)[0]!.n).toBe(0);
  });

  it('fixes drift no webhook announced (changed, deleted, added), keeps a newer webhook state, and leaves other contacts alone', async () => {
    const contacts = [...fake.state.contacts.values()];
    const now = new Date().toISOString();
    for (const c of contacts.slice(0, 10)) {
      c.email = `changed.${c.id.toLowerCase()}@example.com`;
      c.tags = [...c.tags, 'drifted'];
      c.lastName = 'Changed';
      c.dateUpdated = now;
    }
    const deleted = contacts.slice(10, 17).map((c) => c.id);
    for (const id of deleted) fake.state.contacts.delete(id);
    for (let i = 0; i < 12; i++) {
      const id = ghlLikeId();
      fake.state.contacts.set(id, {
        id,
        locationId: fake.locationId,
        firstName: 'New',
        lastName: `Person${i}`,
        email: `new.person${i}.${id.toLowerCase()}@example.com`,
        phone: `+1555900${String(i).padStart(4, '0')}`,
        tags: ['added'],
        customFields: [],
        assignedTo: null,
        dateAdded: now,
        dateUpdated: now,
      });
    }
    // A webhook told us about this contact after GHL's listing state: the listing must not undo it.
    const newer = contacts[20]!;
    newer.firstName = 'Stale';
    newer.dateUpdated = new Date(Date.now() - 3_600_000).toISOString();
    await sql`update public.contacts set name = 'Renamed by a webhook', ghl_state_at = now()
      where organization_id = ${orgId} and ghl_contact_id = ${newer.id}`;
    // Contacts this integration does not own: one made here, one of another organization.
    const ownId = await createContact(sql, orgId, 'Made here');
    const otherOrg = await createOrg(sql, 'ghl-sync-other');
    const otherId = await createContact(sql, otherOrg, 'Someone else');

    const { result } = await sync();
    expect(result).toMatchObject({ upserted: 22, unchanged: 255 - 22, deleted: 7, skipped: false });

    const after = await rows();
    const newerRow = after.find((r) => r.ghl_contact_id === newer.id);
    expect(newerRow).toMatchObject({ name: 'Renamed by a webhook', deleted: false });
    expect(after.filter((r) => !r.deleted && r.ghl_contact_id !== newer.id)).toEqual(fakeRows([newer.id]));
    expect(after.filter((r) => r.deleted).map((r) => r.ghl_contact_id).sort()).toEqual([...deleted].sort());

    const untouched = await sql`select id, deleted_at from public.contacts where id in ${sql([ownId, otherId])}`;
    expect(untouched.map((r) => r.deleted_at)).toEqual([null, null]);

    // Nothing left to fix: a third run writes nothing.
    const again = await sync({ pageSize: 100, pagesPerRun: 50 });
    expect(again.result).toMatchObject({ pages: 3, upserted: 0, unchanged: 255, deleted: 0 });
  });

  it('brings a contact back when GHL lists it again after a tombstone', async () => {
    const [gone] = await sql<{ ghl_contact_id: string }[]>`
      select ghl_contact_id from public.contacts
      where organization_id = ${orgId} and deleted_at is null and ghl_state_at < now() - interval '1 day' limit 1`;
    await sql`update public.contacts set deleted_at = now() where organization_id = ${orgId} and ghl_contact_id = ${gone!.ghl_contact_id}`;
    const { result } = await sync({ pageSize: 100, pagesPerRun: 50 });
    expect(result).toMatchObject({ upserted: 1, deleted: 0 });
    const [row] = await sql`select deleted_at from public.contacts where organization_id = ${orgId} and ghl_contact_id = ${gone!.ghl_contact_id}`;
    expect(row!.deleted_at).toBeNull();
  });

  it('waits out 429s for the delay GHL asks and still copies everything', async () => {
    const limited = await startFakeGhl({ seed: { contacts: 30 }, rateLimit: { max: 2, intervalMs: 1_000 } });
    const limitedWorker = await startWorker({ ghl: { baseUrl: limited.url } });
    try {
      const org = await createOrg(sql, 'ghl-sync-429');
      const { id } = await createIntegration(sql, org, { locationId: limited.locationId, token: limited.privateToken });
      const workflowId = await startContactsSync({ temporal: temporal.client, taskQueue: limitedWorker.taskQueue }, org, id, { pageSize: 3, pagesPerRun: 50 });
      const result = await temporal.client.workflow.getHandle<() => Promise<ContactsSyncResult>>(workflowId).result();
      expect(result).toMatchObject({ pages: 11, upserted: 30, deleted: 0 });
      expect(limited.requests.filter((r) => r.path === '/contacts/search' && r.status === 429).length).toBeGreaterThan(0);
      expect((await rows(org, id)).filter((r) => !r.deleted)).toHaveLength(30);
    } finally {
      await limitedWorker.stop();
      await limited.close();
    }
  });

  it('fails without retrying when GHL refuses the token, and marks the integration broken', async () => {
    const org = await createOrg(sql, 'ghl-sync-revoked');
    const { id } = await createIntegration(sql, org, { locationId: `loc-${ghlLikeId()}`, token: 'pit-revoked' });
    const workflowId = await startContactsSync(services, org, id);
    const failure = await temporal.client.workflow.getHandle(workflowId).result().catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause?.cause as { type?: string } | undefined;
    expect(cause?.type).toBe('GhlError.auth');
    const [integration] = await sql`select status from public.integrations where id = ${id}`;
    expect(integration!.status).toBe('broken');
    const searches = fake.requests.filter((r) => r.path === '/contacts/search' && r.status === 401);
    expect(searches).toHaveLength(1);
  });

  it('skips an integration that was disconnected, and one that is not the organization\'s', async () => {
    const org = await createOrg(sql, 'ghl-sync-disconnected');
    const { id } = await createIntegration(sql, org, { locationId: `loc-${ghlLikeId()}`, token: fake.privateToken });
    await sql`update public.integrations set status = 'disconnected' where id = ${id}`;
    const workflowId = await startContactsSync(services, org, id);
    expect(await temporal.client.workflow.getHandle(workflowId).result()).toMatchObject({ skipped: true, syncId: null, pages: 0 });

    // Another organization naming this org's integration gets nothing synced into either.
    const stranger = await createOrg(sql, 'ghl-sync-stranger');
    const crossId = await startContactsSync(services, stranger, integrationId);
    expect(await temporal.client.workflow.getHandle(crossId).result()).toMatchObject({ skipped: true, pages: 0 });
    expect((await sql`select count(*)::int as n from public.contacts where organization_id = ${stranger}`)[0]!.n).toBe(0);
  });

  it('creates, updates and removes the integration\'s schedule (every 6 hours, overlapping runs skipped)', async () => {
    const scheduleId = await ensureContactsSyncSchedule(services, orgId, integrationId);
    expect(scheduleId).toBe(`ghl-contacts-sync:${integrationId}`);
    const handle = temporal.client.schedule.getHandle(scheduleId);
    const described = await handle.describe();
    expect(described.spec.intervals).toMatchObject([{ every: 6 * 3_600_000 }]);
    expect(described.policies.overlap).toBe('SKIP');
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'ghlContactsSyncWorkflow', args: [{ orgId, integrationId }], taskQueue: worker.taskQueue });
    expect(described.memo).toEqual({ organizationId: orgId, integrationId });

    // Ensuring again is harmless and applies a new interval.
    expect(await ensureContactsSyncSchedule(services, orgId, integrationId, { every: '1 hour' })).toBe(scheduleId);
    expect((await handle.describe()).spec.intervals).toMatchObject([{ every: 3_600_000 }]);

    // Another organization cannot remove it; its own can, twice without error.
    await removeContactsSyncSchedule(services, await createOrg(sql, 'ghl-sync-intruder'), integrationId);
    expect((await handle.describe()).scheduleId).toBe(scheduleId);
    await removeContactsSyncSchedule(services, orgId, integrationId);
    await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    await removeContactsSyncSchedule(services, orgId, integrationId);
  });
});
