import { randomUUID } from 'node:crypto';
import type { Sql } from '../../db/client';
import { type Tx, withClaims } from '../../db/tenant';
import { appSql, testSql } from '../helpers/db';
import { createTenant, type Tenant } from '../helpers/tenants';

/*
 * The receipts schema, logged in as the app's role with claims, as the API and worker act:
 * who sees which receipt, who may change what, and that no organization reaches another's.
 */
describe('receipts schema', () => {
  let owner: Sql;
  let app: Sql;
  let a: Tenant;
  let b: Tenant;

  const asUser = <T>(userId: string, fn: (tx: Tx) => Promise<T>) => withClaims(app, { role: 'authenticated', sub: userId }, fn);
  const asWorker = <T>(orgId: string, fn: (tx: Tx) => Promise<T>) => withClaims(app, { role: 'worker', org_id: orgId }, fn);
  /** Rows a statement touched, or the SQLSTATE that refused it. */
  const touched = (p: Promise<readonly unknown[]>) => p.then((rows) => rows.length, (e: { code?: string }) => e.code);
  const sha = () => randomUUID().replaceAll('-', '').repeat(2);

  /** A receipt inserted as `userId` through RLS (uploaded_by is stamped from the claims). */
  const upload = (t: Tenant, userId: string) =>
    asUser(userId, async (tx) => {
      const id = randomUUID();
      await tx`
        insert into public.opportunity_receipts (id, organization_id, ghl_opportunity_id, file_name, content_type, size_bytes, sha256, storage_key)
        values (${id}, ${t.orgId}, 'opp-1', 'r.png', 'image/png', 10, ${sha()}, ${`${t.orgId}/${id}`})`;
      return id;
    });

  beforeAll(async () => {
    owner = testSql();
    app = appSql();
    a = await createTenant(owner, 'rcpt-db-a');
    b = await createTenant(owner, 'rcpt-db-b');
  });
  afterAll(async () => {
    await app?.end();
    await owner?.end();
  });

  it('stamps the uploader from the claims and shows a rep only their own receipts; managers and viewers see all', async () => {
    const repOwn = await upload(a, a.users.sales.userId);
    const admins = await upload(a, a.users.administrator.userId);
    const [row] = await owner<{ uploaded_by: string }[]>`select uploaded_by from public.opportunity_receipts where id = ${repOwn}`;
    expect(row!.uploaded_by).toBe(a.users.sales.userId);
    const seen = (userId: string) => asUser(userId, (tx) => tx<{ id: string }[]>`select id from public.opportunity_receipts where organization_id = ${a.orgId}`).then((r) => r.map((x) => x.id));
    expect(await seen(a.users.sales.userId)).toEqual(expect.arrayContaining([repOwn]));
    expect(await seen(a.users.sales.userId)).not.toContain(admins);
    expect(await seen(a.users.viewer.userId)).toEqual(expect.arrayContaining([repOwn, admins]));
    expect(await seen(a.users.bot_trainer.userId)).toEqual([]);
  });

  it('refuses uploads by roles without receipts:create, and uploads in the name of someone else', async () => {
    await expect(upload(a, a.users.viewer.userId)).rejects.toMatchObject({ code: '42501' });
    await expect(upload(a, a.users.bot_trainer.userId)).rejects.toMatchObject({ code: '42501' });
    // Into another organization: not a member there.
    await expect(upload(b, a.users.owner.userId)).rejects.toMatchObject({ code: '42501' });
  });

  it('lets people only delete or restore a receipt; what it says is the workflow’s to write', async () => {
    const id = await upload(a, a.users.administrator.userId);
    expect(await touched(asUser(a.users.administrator.userId, (tx) => tx`update public.opportunity_receipts set deleted_at = now() where id = ${id} returning id`))).toBe(1);
    expect(await touched(asUser(a.users.administrator.userId, (tx) => tx`update public.opportunity_receipts set deleted_at = null where id = ${id} returning id`))).toBe(1);
    expect(await touched(asUser(a.users.owner.userId, (tx) => tx`update public.opportunity_receipts set status = 'confirmed' where id = ${id} returning id`))).toBe('42501');
    expect(await touched(asUser(a.users.owner.userId, (tx) => tx`update public.opportunity_receipts set extracted = '{"totalMinor": 1}' where id = ${id} returning id`))).toBe('42501');
    // A rep may not delete (receipts:delete), even their own.
    const mine = await upload(a, a.users.sales.userId);
    expect(await touched(asUser(a.users.sales.userId, (tx) => tx`update public.opportunity_receipts set deleted_at = now() where id = ${mine} returning id`))).toBe(0);
    // Hard deletes are not granted to anyone.
    expect(await touched(asUser(a.users.owner.userId, (tx) => tx`delete from public.opportunity_receipts where id = ${id} returning id`))).toBe('42501');
  });

  it('keeps organizations apart for people and for the worker', async () => {
    const theirs = await upload(b, b.users.owner.userId);
    for (const role of ['owner', 'administrator', 'sales', 'viewer'] as const) {
      const rows = await asUser(a.users[role].userId, (tx) => tx`select id from public.opportunity_receipts where id = ${theirs}`);
      expect({ role, rows: rows.length }).toEqual({ role, rows: 0 });
      expect(await touched(asUser(a.users[role].userId, (tx) => tx`update public.opportunity_receipts set deleted_at = now() where id = ${theirs} returning id`))).toBe(0);
    }
    expect(await asWorker(a.orgId, (tx) => tx`select id from public.opportunity_receipts where id = ${theirs}`)).toHaveLength(0);
    expect(await touched(asWorker(a.orgId, (tx) => tx`update public.opportunity_receipts set status = 'confirmed' where id = ${theirs} returning id`))).toBe(0);
    expect(await touched(asWorker(b.orgId, (tx) => tx`update public.opportunity_receipts set status = 'processing' where id = ${theirs} returning id`))).toBe(1);
    // The worker acts for one organization and may not file receipts for it.
    expect(await touched(asWorker(b.orgId, (tx) => tx`
      insert into public.opportunity_receipts (organization_id, ghl_opportunity_id, file_name, content_type, size_bytes, sha256, storage_key)
      values (${b.orgId}, 'opp', 'x.png', 'image/png', 1, ${sha()}, 'k') returning id`))).toBe('42501');
  });

  it('says whether bytes are taken without showing whose, only to members', async () => {
    const [row] = await owner<{ sha256: string }[]>`select sha256 from public.opportunity_receipts where id = ${await upload(a, a.users.administrator.userId)}`;
    const taken = (userId: string, orgId: string) => asUser(userId, (tx) => tx<{ t: boolean }[]>`select app.receipt_sha_taken(${orgId}, ${row!.sha256}) as t`).then((r) => r[0]!.t);
    expect(await taken(a.users.sales.userId, a.orgId)).toBe(true);
    expect(await taken(b.users.owner.userId, a.orgId)).toBe(false);
  });

  it('keeps one live receipt per content in an organization; another organization may hold the same bytes', async () => {
    const same = sha();
    const insert = (t: Tenant, userId: string) =>
      asUser(userId, (tx) => tx`
        insert into public.opportunity_receipts (organization_id, ghl_opportunity_id, file_name, content_type, size_bytes, sha256, storage_key)
        values (${t.orgId}, 'opp-1', 'r.png', 'image/png', 10, ${same}, ${`${t.orgId}/${randomUUID()}`}) returning id`);
    const [first] = await insert(a, a.users.owner.userId);
    await expect(insert(a, a.users.owner.userId)).rejects.toMatchObject({ code: '23505' });
    await expect(insert(b, b.users.owner.userId)).resolves.toHaveLength(1);
    await asUser(a.users.owner.userId, (tx) => tx`update public.opportunity_receipts set deleted_at = now() where id = ${first!.id}`);
    await expect(insert(a, a.users.owner.userId)).resolves.toHaveLength(1);
  });

  it('lets only receipt managers change the settings, per organization', async () => {
    const put = (userId: string, orgId: string) =>
      touched(asUser(userId, (tx) => tx`insert into public.receipt_settings (organization_id, auto_confirm) values (${orgId}, true) on conflict (organization_id) do update set auto_confirm = true returning organization_id`));
    expect(await put(a.users.sales.userId, a.orgId)).toBe('42501');
    expect(await put(a.users.owner.userId, b.orgId)).toBe('42501');
    expect(await put(a.users.administrator.userId, a.orgId)).toBe(1);
  });
});
