import { randomUUID } from 'node:crypto';
import type { Sql } from '../../db/client';
import { ROLES } from '../../db/rbac/matrix';
import { type Claims, type Tx, withClaims } from '../../db/tenant';
import { testSql } from '../helpers/db';
import { createFlowFixtures, type FlowFixtures } from '../helpers/flows';
import { createTenant, type Tenant } from '../helpers/tenants';

/*
 * The cross-tenant matrix, in SQL as `authenticated`: a member of org A, in every role, attacks
 * org B's rows in every tenant table. Nothing may leak, nothing may move; B is compared with a
 * snapshot taken as the owner at the end.
 */
const TENANT_TABLES = [
  'organization_members', 'team_members', 'invitations',
  'workflows', 'workflow_versions', 'executions', 'execution_steps', 'execution_payloads',
] as const;
/** Tenant tables users never update nor delete (no grant at all): attempts fail outright. */
const READ_ONLY_FOR_USERS: ReadonlySet<string> = new Set(['workflow_versions', 'execution_steps', 'execution_payloads']);

describe('tenant isolation under RLS', () => {
  let sql: Sql;
  let a: Tenant;
  let b: Tenant;
  let flowsOfB: FlowFixtures;
  let snapshotOfB: () => Promise<unknown>;
  let before: unknown;

  beforeAll(async () => {
    sql = testSql();
    a = await createTenant(sql, 'org-a');
    b = await createTenant(sql, 'org-b');
    await createFlowFixtures(sql, a);
    flowsOfB = await createFlowFixtures(sql, b);
    snapshotOfB = async () => ({
      organization: await sql`select * from public.organizations where id = ${b.orgId}`,
      ...Object.fromEntries(
        await Promise.all(
          TENANT_TABLES.map(async (t) => [t, await sql`select * from ${sql('public.' + t)} where organization_id = ${b.orgId} order by id`]),
        ),
      ),
    });
    before = await snapshotOfB();
  });
  afterAll(async () => {
    expect(await snapshotOfB()).toEqual(before); // nothing of B changed, whatever was tried
    await sql.end();
  });

  const asUser = <T>(userId: string, fn: (tx: Tx) => Promise<T>) =>
    withClaims(sql, { role: 'authenticated', sub: userId }, fn);

  describe.each(ROLES)('a %s of org A', (role) => {
    let userId: string;
    beforeAll(() => {
      userId = a.users[role].userId;
    });

    it("cannot see org B's organization or rows", async () => {
      await asUser(userId, async (tx) => {
        expect(await tx`select id from public.organizations where id = ${b.orgId}`).toHaveLength(0);
        for (const t of TENANT_TABLES) {
          expect({ t, rows: (await tx`select id from ${tx('public.' + t)} where organization_id = ${b.orgId}`).length }).toEqual({ t, rows: 0 });
        }
        // Not even by guessing ids directly.
        expect(await tx`select id from public.team_members where id = ${b.teamMemberId}`).toHaveLength(0);
      });
    });

    it("cannot update or delete org B's rows (they are invisible, so nothing is touched)", async () => {
      await asUser(userId, async (tx) => {
        expect((await tx`update public.organizations set name = 'pwned' where id = ${b.orgId}`).count).toBe(0);
        expect((await tx`delete from public.organizations where id = ${b.orgId}`).count).toBe(0);
        for (const t of TENANT_TABLES.filter((name) => !READ_ONLY_FOR_USERS.has(name))) {
          expect((await tx`update ${tx('public.' + t)} set updated_at = now() where organization_id = ${b.orgId}`).count).toBe(0);
          expect((await tx`delete from ${tx('public.' + t)} where organization_id = ${b.orgId}`).count).toBe(0);
        }
      });
      for (const t of READ_ONLY_FOR_USERS) {
        await expect(asUser(userId, (tx) => tx`update ${tx('public.' + t)} set organization_id = organization_id where organization_id = ${b.orgId}`)).rejects.toThrow(/permission denied/);
        await expect(asUser(userId, (tx) => tx`delete from ${tx('public.' + t)} where organization_id = ${b.orgId}`)).rejects.toThrow(/permission denied/);
      }
    });

    it('cannot insert rows into org B', async () => {
      await expect(asUser(userId, (tx) => tx`
        insert into public.team_members (organization_id, full_name) values (${b.orgId}, 'intruder')`)).rejects.toThrow(/row-level security|permission denied/);
      await expect(asUser(userId, (tx) => tx`
        insert into public.organization_members (organization_id, user_id, role) values (${b.orgId}, ${userId}, 'administrator')`)).rejects.toThrow(/row-level security|permission denied/);
      await expect(asUser(userId, (tx) => tx`
        insert into public.invitations (organization_id, email, role, token_hash, invited_by, expires_at)
        values (${b.orgId}, 'x@example.test', 'viewer', ${randomUUID()}, ${b.users.owner.memberId}, now() + interval '1 day')`)).rejects.toThrow(/row-level security|permission denied/);
      await expect(asUser(userId, (tx) => tx`
        insert into public.workflows (organization_id, name) values (${b.orgId}, 'intruder')`)).rejects.toThrow(/row-level security|permission denied/);
      await expect(asUser(userId, (tx) => tx`
        insert into public.executions (organization_id, workflow_id, trigger_type) values (${b.orgId}, ${flowsOfB.workflowId}, 'manual')`)).rejects.toThrow(/row-level security|permission denied/);
    });

    it('cannot move its own rows into org B (UPDATE … SET organization_id = B)', async () => {
      for (const t of TENANT_TABLES) {
        const attempt = asUser(userId, (tx) => tx`update ${tx('public.' + t)} set organization_id = ${b.orgId} where organization_id = ${a.orgId}`);
        // Either refused outright, or the role may not update and nothing matched.
        const refusal = READ_ONLY_FOR_USERS.has(t) ? /permission denied/ : /organization_id cannot change|row-level security/;
        await attempt.then(
          (result) => expect({ t, count: result.count }).toEqual({ t, count: 0 }),
          (err: Error) => expect(err.message).toMatch(refusal),
        );
      }
      const [row] = await sql`select count(*)::int as n from public.team_members where organization_id = ${a.orgId}`;
      expect(row?.n).toBe(1);
    });

    it("cannot reference org B's rows through a foreign key from org A", async () => {
      await expect(asUser(userId, (tx) => tx`
        insert into public.invitations (organization_id, email, role, token_hash, invited_by, expires_at)
        values (${a.orgId}, 'x@example.test', 'viewer', ${randomUUID()}, ${b.users.owner.memberId}, now() + interval '1 day')`)).rejects.toThrow(/foreign key|row-level security/);
      await expect(asUser(userId, (tx) => tx`
        insert into public.executions (organization_id, workflow_id, trigger_type) values (${a.orgId}, ${flowsOfB.workflowId}, 'manual')`)).rejects.toThrow(/foreign key|row-level security/);
    });
  });

  it('an owner of A can still do all of that inside A', async () => {
    await asUser(a.users.owner.userId, async (tx) => {
      expect(await tx`select id from public.team_members where organization_id = ${a.orgId}`).toHaveLength(1);
      const [created] = await tx`insert into public.team_members (organization_id, full_name) values (${a.orgId}, 'new rep') returning id`;
      expect((await tx`update public.team_members set full_name = 'renamed' where id = ${created!.id}`).count).toBe(1);
      expect((await tx`delete from public.team_members where id = ${created!.id}`).count).toBe(1);
    });
  });

  it('a viewer of A can read but not write inside A', async () => {
    await asUser(a.users.viewer.userId, async (tx) => {
      expect(await tx`select id from public.team_members where organization_id = ${a.orgId}`).toHaveLength(1);
      expect((await tx`update public.team_members set full_name = 'x' where organization_id = ${a.orgId}`).count).toBe(0);
    });
  });

  it('fails closed without claims: no rows, no error', async () => {
    const rows = await sql.begin(async (tx) => {
      await tx`set local role authenticated`;
      return tx`select id from public.team_members`;
    });
    expect(rows).toHaveLength(0);
  });

  it('a worker acting for A sees only A, and cannot write', async () => {
    const claims: Claims = { role: 'worker', org_id: a.orgId };
    await withClaims(sql, claims, async (tx) => {
      const rows = await tx<{ organization_id: string }[]>`select organization_id from public.team_members`;
      expect(rows.map((r) => r.organization_id)).toEqual([a.orgId]);
      expect(await tx`select id from public.organizations`).toEqual([{ id: a.orgId }]);
    });
    await expect(withClaims(sql, claims, (tx) => tx`update public.team_members set full_name = 'x'`)).rejects.toThrow(/permission denied/);
  });

  it('user claims that pretend to be a worker gain nothing', async () => {
    const stranger = { role: 'authenticated', sub: randomUUID(), org_id: b.orgId } as const;
    await withClaims(sql, stranger, async (tx) => {
      expect(await tx`select id from public.team_members`).toHaveLength(0);
      expect(await tx`select id from public.organizations`).toHaveLength(0);
    });
  });
});
