import type { Sql } from '../../db/client';
import { withClaims } from '../../db/tenant';
import { testSql } from '../helpers/db';
import { addMember, createOrg, createTenant, createUser, type Tenant } from '../helpers/tenants';

describe('audit trail', () => {
  let sql: Sql;
  let a: Tenant;
  let b: Tenant;
  beforeAll(async () => {
    sql = testSql();
    a = await createTenant(sql, 'audit-a');
    b = await createTenant(sql, 'audit-b');
  });
  afterAll(async () => {
    await sql.end();
  });

  const asUser = <T>(userId: string, fn: Parameters<typeof withClaims<T>>[2]) =>
    withClaims(sql, { role: 'authenticated', sub: userId }, fn);

  it('records who changed what, with the changed columns, for every write', async () => {
    const owner = a.users.owner.userId;
    const id = await asUser(owner, async (tx) => {
      const [row] = await tx<{ id: string }[]>`insert into public.team_members (organization_id, full_name) values (${a.orgId}, 'Ada') returning id`;
      await tx`update public.team_members set full_name = 'Ada L.', email = 'ada@example.test' where id = ${row!.id}`;
      await tx`delete from public.team_members where id = ${row!.id}`;
      return row!.id;
    });
    const entries = await sql`
      select actor_user_id, actor_role, operation, changed_columns, diff from public.audit_log
      where row_id = ${id} order by created_at`;
    expect(entries.map((e) => e.operation)).toEqual(['INSERT', 'UPDATE', 'DELETE']);
    expect(entries.every((e) => e.actor_user_id === owner && e.actor_role === 'authenticated')).toBe(true);
    expect(entries[1]?.changed_columns).toEqual(['email', 'full_name']);
    expect(entries[1]?.diff).toMatchObject({ full_name: { old: 'Ada', new: 'Ada L.' } });
  });

  it('never stores a secret value, only that it changed', async () => {
    await sql`update public.invitations set token_hash = 'new-secret-hash' where id = ${a.invitationId}`;
    const [entry] = await sql`
      select changed_columns, diff from public.audit_log where row_id = ${a.invitationId} and operation = 'UPDATE'`;
    expect(entry?.changed_columns).toEqual(['token_hash']);
    expect(JSON.stringify(entry?.diff)).not.toContain('new-secret-hash');
  });

  it('is append-only: nobody can update, delete or truncate it, not even the owner role', async () => {
    await expect(asUser(a.users.owner.userId, (tx) => tx`update public.audit_log set operation = 'INSERT'`)).rejects.toThrow(/permission denied/);
    await expect(asUser(a.users.owner.userId, (tx) => tx`delete from public.audit_log`)).rejects.toThrow(/permission denied/);
    await expect(sql`update public.audit_log set actor_role = 'x' where organization_id = ${a.orgId}`).rejects.toThrow(/append-only/);
    await expect(sql`delete from public.audit_log where organization_id = ${a.orgId}`).rejects.toThrow(/append-only/);
    await expect(sql`truncate public.audit_log`).rejects.toThrow(/append-only/);
  });

  it('is readable by owners and administrators of the organization only', async () => {
    const visible = async (userId: string) =>
      asUser(userId, async (tx) => (await tx`select distinct organization_id from public.audit_log`).map((r) => r.organization_id));
    expect(await visible(a.users.owner.userId)).toEqual([a.orgId]);
    expect(await visible(a.users.administrator.userId)).toEqual([a.orgId]);
    for (const role of ['sales', 'bot_trainer', 'viewer'] as const) expect(await visible(a.users[role].userId)).toEqual([]);
    expect(await visible(b.users.owner.userId)).toEqual([b.orgId]);
  });
});

describe('plan limits', () => {
  let sql: Sql;
  beforeAll(() => {
    sql = testSql();
  });
  afterAll(async () => {
    await sql.end();
  });

  async function orgWithLimit(maxUsers: number): Promise<string> {
    const orgId = await createOrg(sql, 'limits');
    await sql`update public.organizations set max_users = ${maxUsers} where id = ${orgId}`;
    return orgId;
  }

  it('refuses a member beyond max_users with SQLSTATE FL402 naming the limit', async () => {
    const orgId = await orgWithLimit(2);
    await addMember(sql, orgId, await createUser(sql), 'owner');
    await addMember(sql, orgId, await createUser(sql), 'viewer');
    const third = addMember(sql, orgId, await createUser(sql), 'viewer');
    await expect(third).rejects.toMatchObject({ code: 'FL402', message: 'plan limit reached: max_users is 2' });
  });

  it('keeps the usage counter right as members come, get suspended and go', async () => {
    const orgId = await orgWithLimit(10);
    const m1 = await addMember(sql, orgId, await createUser(sql), 'owner');
    const m2 = await addMember(sql, orgId, await createUser(sql), 'viewer');
    await addMember(sql, orgId, await createUser(sql), 'sales');
    await sql`update public.organization_members set status = 'suspended' where id = ${m2}`;
    await sql`delete from public.organization_members where id = ${m1}`;
    const [org] = await sql`select current_users from public.organizations where id = ${orgId}`;
    expect(org?.current_users).toBe(1);
  });

  it('holds under concurrency: of 12 simultaneous additions to a 5-seat org, exactly 5 land', async () => {
    const orgId = await orgWithLimit(5);
    const users = await Promise.all(Array.from({ length: 12 }, () => createUser(sql)));
    const pool = testSql(); // several connections, so the inserts really race
    try {
      const results = await Promise.allSettled(users.map((u) => addMember(pool, orgId, u, 'viewer')));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(rejected.every((r) => (r.reason as { code?: string }).code === 'FL402')).toBe(true);
    } finally {
      await pool.end();
    }
    const [org] = await sql`select current_users, (select count(*)::int from public.organization_members where organization_id = ${orgId}) as n
                            from public.organizations where id = ${orgId}`;
    expect(org).toEqual({ current_users: 5, n: 5 });
  });
});
