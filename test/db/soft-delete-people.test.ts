import type { Sql } from '../../db/client';
import { type Tx, withClaims } from '../../db/tenant';
import { appSql, testSql } from '../helpers/db';
import { createContact } from '../helpers/integrations';
import { addMember, createTenant, createUser, type Tenant } from '../helpers/tenants';

/*
 * The trash for people in SQL, logged in as the app's role with claims as the API and worker
 * act: who may move contacts and team members to the trash and back, and how a contact keeps
 * who deleted it whatever writes the row afterwards.
 */
describe('soft delete of contacts and team members', () => {
  let owner: Sql;
  let app: Sql;
  let a: Tenant;
  let b: Tenant;
  beforeAll(async () => {
    owner = testSql();
    app = appSql();
    a = await createTenant(owner, 'trash-sql-a');
    b = await createTenant(owner, 'trash-sql-b');
  });
  afterAll(async () => {
    await app.end();
    await owner.end();
  });

  const asUser = <T>(userId: string, fn: (tx: Tx) => Promise<T>) => withClaims(app, { role: 'authenticated', sub: userId }, fn);
  const asWorker = <T>(orgId: string, fn: (tx: Tx) => Promise<T>) => withClaims(app, { role: 'worker', org_id: orgId }, fn);
  const contactRow = async (id: string) =>
    (await owner<{ deleted: boolean; deleted_reason: string | null; name: string | null }[]>`
      select deleted_at is not null as deleted, deleted_reason, name from public.contacts where id = ${id}`)[0]!;

  it('lets a member allowed to delete contacts, but not to edit them, move one to the trash; nobody else, and never across organizations', async () => {
    const deleteOnly = await createUser(owner, 'delete-only');
    await addMember(owner, a.orgId, deleteOnly, 'viewer', { grant: ['contacts:delete', 'team_members:delete'] });
    const contact = await createContact(owner, a.orgId);
    const trash = (userId: string) =>
      asUser(userId, (tx) => tx`update public.contacts set deleted_at = now(), deleted_reason = 'user' where id = ${contact} returning id`);

    expect(await trash(a.users.viewer.userId)).toHaveLength(0);
    expect(await trash(b.users.owner.userId)).toHaveLength(0);
    expect((await contactRow(contact)).deleted).toBe(false);
    expect(await trash(deleteOnly)).toHaveLength(1);
    expect(await contactRow(contact)).toMatchObject({ deleted: true, deleted_reason: 'user' });

    const member = a.teamMemberId;
    const trashMember = (userId: string) => asUser(userId, (tx) => tx`update public.team_members set deleted_at = now() where id = ${member} returning id`);
    expect(await trashMember(a.users.sales.userId)).toHaveLength(0);
    expect(await trashMember(b.users.owner.userId)).toHaveLength(0);
    expect(await trashMember(deleteOnly)).toHaveLength(1);
    await owner`update public.team_members set deleted_at = null where id = ${member}`;
  });

  it("keeps a contact deleted in Flowline deleted through GHL's writes, which still refresh its fields; only a restore clears it", async () => {
    const contact = await createContact(owner, a.orgId, 'Before');
    await asUser(a.users.owner.userId, (tx) => tx`update public.contacts set deleted_at = now(), deleted_reason = 'user', deleted_by = auth.uid() where id = ${contact}`);
    // What the webhook and the sync write for a contact GHL still has.
    await asWorker(a.orgId, (tx) => tx`update public.contacts set name = 'After', deleted_at = null where id = ${contact}`);
    expect(await contactRow(contact)).toEqual({ deleted: true, deleted_reason: 'user', name: 'After' });

    await asUser(a.users.owner.userId, (tx) => tx`update public.contacts set deleted_at = null, deleted_reason = null, deleted_by = null where id = ${contact}`);
    expect(await contactRow(contact)).toEqual({ deleted: false, deleted_reason: null, name: 'After' });
  });

  it("marks a delete that names no reason as GHL's, and lets GHL bring back what it deleted", async () => {
    const contact = await createContact(owner, a.orgId);
    await asWorker(a.orgId, (tx) => tx`update public.contacts set deleted_at = now() where id = ${contact}`);
    expect(await contactRow(contact)).toMatchObject({ deleted: true, deleted_reason: 'ghl' });
    await asWorker(a.orgId, (tx) => tx`update public.contacts set deleted_at = null where id = ${contact}`);
    expect(await contactRow(contact)).toMatchObject({ deleted: false, deleted_reason: null });
    // A reason without a delete means nothing: it is dropped.
    await owner`update public.contacts set deleted_reason = 'user' where id = ${contact}`;
    expect(await contactRow(contact)).toMatchObject({ deleted: false, deleted_reason: null });
  });

  it('keeps GHL user ids unique among live team members only', async () => {
    const [first] = await owner<{ id: string }[]>`
      insert into public.team_members (organization_id, full_name, external_id) values (${a.orgId}, 'First', 'ghl-shared') returning id`;
    await expect(owner`insert into public.team_members (organization_id, full_name, external_id) values (${a.orgId}, 'Clash', 'ghl-shared')`).rejects.toMatchObject({
      code: '23505',
    });
    await owner`update public.team_members set deleted_at = now() where id = ${first!.id}`;
    await owner`insert into public.team_members (organization_id, full_name, external_id) values (${a.orgId}, 'Second', 'ghl-shared')`;
    await expect(owner`update public.team_members set deleted_at = null where id = ${first!.id}`).rejects.toMatchObject({ code: '23505' });
  });

  it("answers until when a deleted row may be restored from the organization's setting, to its members and its worker only", async () => {
    await owner`update public.organizations set settings = settings || '{"trashRetentionDays": 10}'::jsonb where id = ${b.orgId}`;
    const until = (tx: Tx, orgId: string) => tx<{ at: Date | null }[]>`select app.restorable_until(${orgId}, '2026-01-01T00:00:00Z') as at`.then((r) => r[0]!.at);
    expect((await asUser(a.users.viewer.userId, (tx) => until(tx, a.orgId)))?.toISOString()).toBe('2026-01-31T00:00:00.000Z');
    expect((await asUser(b.users.viewer.userId, (tx) => until(tx, b.orgId)))?.toISOString()).toBe('2026-01-11T00:00:00.000Z');
    expect((await asWorker(b.orgId, (tx) => until(tx, b.orgId)))?.toISOString()).toBe('2026-01-11T00:00:00.000Z');
    expect(await asUser(a.users.viewer.userId, (tx) => until(tx, b.orgId))).toBeNull();
    expect(await asWorker(a.orgId, (tx) => until(tx, b.orgId))).toBeNull();
  });
});
