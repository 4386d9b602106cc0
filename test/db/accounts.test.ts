import type { Sql } from '../../db/client';
import { type Tx, withClaims } from '../../db/tenant';
import { testSql } from '../helpers/db';
import { createTenant, createUser, type Tenant } from '../helpers/tenants';

// The account functions and guards of the db/migrations/2026112700050*_*.sql files (plans and ownership, sign-up, sessions, seats and invitations), attacked directly in SQL as
// the roles the API uses: what the HTTP layer forgets, the database still refuses.
describe('accounts in the database', () => {
  let sql: Sql;
  let a: Tenant;
  let b: Tenant;
  beforeAll(async () => {
    sql = testSql();
    a = await createTenant(sql, 'acct-a');
    b = await createTenant(sql, 'acct-b');
  });
  afterAll(async () => {
    await sql.end();
  });

  const asUser = <T>(userId: string, fn: (tx: Tx) => Promise<T>) => withClaims(sql, { role: 'authenticated', sub: userId }, fn);
  const asAnon = <T>(fn: (tx: Tx) => Promise<T>) => withClaims(sql, { role: 'anon' }, fn);
  const sqlstate = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);

  it('keeps refresh tokens out of reach of every request role', async () => {
    expect(await sqlstate(asAnon((tx) => tx`select * from app.refresh_tokens`))).toBe('42501');
    expect(await sqlstate(asUser(a.users.owner.userId, (tx) => tx`select * from app.refresh_tokens`))).toBe('42501');
  });

  it('gives anon only the account entry points', async () => {
    expect(await sqlstate(asAnon((tx) => tx`select * from public.organizations`))).toBe('42501');
    expect(await sqlstate(asAnon((tx) => tx`select app.create_organization('x')`))).toBe('42501');
    expect(await sqlstate(asAnon((tx) => tx`select app.transfer_ownership(${a.orgId}, ${a.users.viewer.memberId})`))).toBe('42501');
    expect(await sqlstate(asAnon((tx) => tx`select * from auth.users`))).toBe('42501');
  });

  it("shows member profiles only of the caller's own organizations", async () => {
    const own = await asUser(a.users.viewer.userId, (tx) => tx`select * from app.org_member_profiles(${a.orgId})`);
    expect(own.length).toBe(5);
    const other = await asUser(a.users.owner.userId, (tx) => tx`select * from app.org_member_profiles(${b.orgId})`);
    expect(other).toHaveLength(0);
  });

  it('lets nobody but the platform change usage counters, limits, status or slug', async () => {
    for (const change of [
      sql`current_users = 0`, sql`max_users = 1000`, sql`subscription_status = 'active'`, sql`slug = 'stolen'`,
    ]) {
      const state = await sqlstate(asUser(a.users.owner.userId, (tx) => tx`update public.organizations set ${change} where id = ${a.orgId}`));
      expect(state).toBe('42501');
    }
    // The plan needs billing:update, which administrators lack even in raw SQL.
    expect(await sqlstate(asUser(a.users.administrator.userId, (tx) => tx`update public.organizations set subscription_plan = 'enterprise' where id = ${a.orgId}`))).toBe('42501');
  });

  it('keeps exactly one owner: no owner inserts, demotions or removals by users', async () => {
    const newcomer = await createUser(sql, 'newcomer');
    const admin = a.users.administrator.userId;
    expect(await sqlstate(asUser(admin, (tx) => tx`insert into public.organization_members (organization_id, user_id, role) values (${a.orgId}, ${newcomer}, 'owner')`))).toBe('FL409');
    expect(await sqlstate(asUser(admin, (tx) => tx`update public.organization_members set role = 'owner' where id = ${a.users.viewer.memberId}`))).toBe('FL409');
    expect(await sqlstate(asUser(admin, (tx) => tx`update public.organization_members set role = 'viewer' where id = ${a.users.owner.memberId}`))).toBe('FL409');
    expect(await sqlstate(asUser(admin, (tx) => tx`delete from public.organization_members where id = ${a.users.owner.memberId}`))).toBe('FL409');
  });

  it("refuses an ownership transfer by a non-owner or into another organization's member", async () => {
    expect(await sqlstate(asUser(a.users.administrator.userId, (tx) => tx`select app.transfer_ownership(${a.orgId}, ${a.users.viewer.memberId})`))).toBe('42501');
    expect(await sqlstate(asUser(a.users.owner.userId, (tx) => tx`select app.transfer_ownership(${a.orgId}, ${b.users.viewer.memberId})`))).toBe('FL404');
    expect(await sqlstate(asUser(a.users.owner.userId, (tx) => tx`select app.transfer_ownership(${b.orgId}, ${b.users.viewer.memberId})`))).toBe('42501');
  });

  it("cannot link a team member to a login from another organization, even through the foreign key", async () => {
    const state = await sqlstate(
      asUser(a.users.administrator.userId, (tx) => tx`update public.team_members set user_id = ${b.users.owner.userId} where id = ${a.teamMemberId}`),
    );
    expect(state).toBe('23503');
  });

  it('signs up atomically: a duplicate email leaves no organization behind', async () => {
    const email = `atomic-${Date.now()}@example.test`;
    const name = `Atomic ${Date.now()}`;
    await asAnon((tx) => tx`select * from app.sign_up(${email}, 'hash', 'A', ${name})`);
    expect(await sqlstate(asAnon((tx) => tx`select * from app.sign_up(${email.toUpperCase()}, 'hash', 'B', ${name})`))).toBe('23505');
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from public.organizations where name = ${name}`;
    expect(row!.n).toBe(1);
  });
});
