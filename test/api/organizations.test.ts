import { randomUUID } from 'node:crypto';
import type { Sql } from '../../db/client';
import { call, tokenFor, uniqueEmail } from '../helpers/api';
import type { RunningApp } from '../helpers/app';
import { useAppStack } from '../helpers/stack';
import { createTenant, type Tenant } from '../helpers/tenants';

const PASSWORD = 'a long enough password';

describe('organizations, members, invitations, team members and the audit log over HTTP', () => {
  const stack = useAppStack();
  let sql: Sql;
  let app: RunningApp;
  beforeAll(() => {
    ({ sql, app } = stack);
  });

  const api = (method: string, path: string, token?: string, body?: unknown) => call(app.url, method, path, { token, body });

  async function signUp(org = 'Team Org') {
    const email = uniqueEmail('owner');
    const res = await api('POST', '/api/v1/auth/signup', undefined, { email, password: PASSWORD, fullName: 'Olive Owner', organizationName: org });
    expect(res.status).toBe(201);
    return { email, token: res.body.session.accessToken as string, orgId: res.body.organization.id as string, userId: res.body.user.id as string };
  }

  describe('invitations', () => {
    it('invite -> preview -> sign up through the link -> member with the role; the link then stops working', async () => {
      const owner = await signUp();
      const email = uniqueEmail('invitee');
      const invite = await api('POST', `/api/v1/orgs/${owner.orgId}/members`, owner.token, { email, role: 'sales' });
      expect(invite.status).toBe(201);
      expect(invite.body.acceptUrl).toMatch(/^\/invitations\/[A-Za-z0-9_-]{43}$/);
      const token = invite.body.acceptUrl.split('/').pop();

      const preview = await api('GET', `/api/v1/invitations/${token}`);
      expect(preview.body).toMatchObject({ organizationName: 'Team Org', email, role: 'sales' });

      const missing = await api('POST', `/api/v1/invitations/${token}/accept`, undefined, {});
      expect(missing.status).toBe(422);
      expect(missing.body.errors).toEqual([{ path: 'fullName', message: 'Required' }, { path: 'password', message: 'Required' }]);

      const accepted = await api('POST', `/api/v1/invitations/${token}/accept`, undefined, { fullName: 'Sam Sales', password: PASSWORD });
      expect(accepted.status).toBe(201);
      expect(accepted.body.membership).toMatchObject({ organizationId: owner.orgId, role: 'sales' });
      const me = await api('GET', '/api/v1/me', accepted.body.session.accessToken);
      expect(me.body.memberships).toEqual([expect.objectContaining({ organizationId: owner.orgId, role: 'sales' })]);
      expect(me.body.memberships[0].permissions).not.toContain('audit_log:read');

      expect((await api('GET', `/api/v1/invitations/${token}`)).status).toBe(404);
      const reuse = await api('POST', `/api/v1/invitations/${token}/accept`, undefined, { fullName: 'Again', password: PASSWORD });
      expect(reuse.status).toBe(404);

      const members = await api('GET', `/api/v1/orgs/${owner.orgId}/members`, owner.token);
      expect(members.body.items.map((m: any) => [m.email, m.role])).toEqual([[owner.email, 'owner'], [email, 'sales']]);
      const org = await api('GET', `/api/v1/orgs/${owner.orgId}`, owner.token);
      expect(org.body.usage.users).toBe(2);
    });

    it('a signed-in user accepts with their own account; another account cannot use the link', async () => {
      const owner = await signUp();
      const other = await signUp('Elsewhere');
      const invitee = await signUp('Invitee Home');
      const invite = await api('POST', `/api/v1/orgs/${owner.orgId}/members`, owner.token, { email: invitee.email, role: 'viewer' });
      const token = invite.body.acceptUrl.split('/').pop();
      const wrong = await api('POST', `/api/v1/invitations/${token}/accept`, other.token, {});
      expect(wrong.status).toBe(403);
      const ok = await api('POST', `/api/v1/invitations/${token}/accept`, invitee.token, {});
      expect(ok.status).toBe(200);
      expect(ok.body.membership).toMatchObject({ organizationId: owner.orgId, role: 'viewer' });
      const me = await api('GET', '/api/v1/me', invitee.token);
      expect(me.body.memberships.map((m: any) => m.role).sort()).toEqual(['owner', 'viewer']);
    });

    it('an expired invitation cannot be previewed nor accepted', async () => {
      const owner = await signUp();
      const invite = await api('POST', `/api/v1/orgs/${owner.orgId}/members`, owner.token, { email: uniqueEmail('late'), role: 'viewer' });
      await sql`update public.invitations set expires_at = now() - interval '1 minute' where id = ${invite.body.invitation.id}`;
      const token = invite.body.acceptUrl.split('/').pop();
      expect((await api('GET', `/api/v1/invitations/${token}`)).status).toBe(404);
      expect((await api('POST', `/api/v1/invitations/${token}/accept`, undefined, { fullName: 'Late', password: PASSWORD })).status).toBe(404);
    });

    it('refuses a second pending invitation or an invitation of a member (409), and garbage tokens (404)', async () => {
      const owner = await signUp();
      const email = uniqueEmail('twice');
      expect((await api('POST', `/api/v1/orgs/${owner.orgId}/members`, owner.token, { email, role: 'viewer' })).status).toBe(201);
      expect((await api('POST', `/api/v1/orgs/${owner.orgId}/members`, owner.token, { email: email.toUpperCase(), role: 'sales' })).status).toBe(409);
      expect((await api('POST', `/api/v1/orgs/${owner.orgId}/members`, owner.token, { email: owner.email, role: 'sales' })).status).toBe(409);
      for (const bad of ["' or 1=1 --", 'short', '../../etc/passwd']) {
        expect((await api('GET', `/api/v1/invitations/${encodeURIComponent(bad)}`)).status).toBe(404);
      }
    });

    it('answers 402 naming max_users when the plan is full, counting pending invitations as seats', async () => {
      const owner = await signUp(); // free plan: 3 users
      expect((await api('POST', `/api/v1/orgs/${owner.orgId}/members`, owner.token, { email: uniqueEmail('seat'), role: 'viewer' })).status).toBe(201);
      expect((await api('POST', `/api/v1/orgs/${owner.orgId}/members`, owner.token, { email: uniqueEmail('seat'), role: 'viewer' })).status).toBe(201);
      const full = await api('POST', `/api/v1/orgs/${owner.orgId}/members`, owner.token, { email: uniqueEmail('seat'), role: 'viewer' });
      expect(full.status).toBe(402);
      expect(full.headers.get('content-type')).toContain('application/problem+json');
      expect(full.body.errors).toEqual([expect.objectContaining({ path: 'max_users' })]);
      expect(full.body.detail).toMatch(/max_users is 3/);
    });

    it('lets exactly the free seats through when invitations race', async () => {
      const owner = await signUp();
      const results = await Promise.all(
        Array.from({ length: 6 }, () => api('POST', `/api/v1/orgs/${owner.orgId}/members`, owner.token, { email: uniqueEmail('racer'), role: 'viewer' })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 201, 402, 402, 402, 402]);
    });
  });

  describe('members and ownership', () => {
    let t: Tenant;
    const tok = (role: keyof Tenant['users']) => tokenFor(app.auth, t.users[role].userId);
    beforeEach(async () => {
      t = await createTenant(sql, 'own');
    });

    it('the owner cannot be demoted, suspended or removed; ownership moves only by transfer', async () => {
      const admin = await tok('administrator');
      const ownerId = t.users.owner.memberId;
      expect((await api('PATCH', `/api/v1/orgs/${t.orgId}/members/${ownerId}`, admin, { role: 'viewer' })).status).toBe(409);
      expect((await api('PATCH', `/api/v1/orgs/${t.orgId}/members/${ownerId}`, admin, { status: 'suspended' })).status).toBe(409);
      expect((await api('DELETE', `/api/v1/orgs/${t.orgId}/members/${ownerId}`, admin)).status).toBe(409);
      expect((await api('PATCH', `/api/v1/orgs/${t.orgId}/members/${t.users.viewer.memberId}`, admin, { role: 'owner' })).status).toBe(422);
      expect((await api('POST', `/api/v1/orgs/${t.orgId}/transfer-ownership`, admin, { memberId: t.users.viewer.memberId })).status).toBe(403);

      const owner = await tok('owner');
      const transfer = await api('POST', `/api/v1/orgs/${t.orgId}/transfer-ownership`, owner, { memberId: t.users.sales.memberId });
      expect(transfer.status).toBe(200);
      const roles = Object.fromEntries(transfer.body.items.map((m: any) => [m.id, m.role]));
      expect(roles[t.users.sales.memberId]).toBe('owner');
      expect(roles[ownerId]).toBe('administrator');
      const owners = transfer.body.items.filter((m: any) => m.role === 'owner');
      expect(owners).toHaveLength(1);
    });

    it('suspending a member locks them out of the organization (404), reactivating lets them back', async () => {
      const admin = await tok('administrator');
      const viewer = await tok('viewer');
      expect((await api('PATCH', `/api/v1/orgs/${t.orgId}/members/${t.users.viewer.memberId}`, admin, { status: 'suspended' })).status).toBe(200);
      expect((await api('GET', `/api/v1/orgs/${t.orgId}`, viewer)).status).toBe(404);
      expect((await api('PATCH', `/api/v1/orgs/${t.orgId}/members/${t.users.viewer.memberId}`, admin, { status: 'active' })).status).toBe(200);
      expect((await api('GET', `/api/v1/orgs/${t.orgId}`, viewer)).status).toBe(200);
    });

    it('custom permissions grant and deny single actions, and only managers may set them', async () => {
      const admin = await tok('administrator');
      const viewer = await tok('viewer');
      const sales = await tok('sales');
      expect((await api('POST', `/api/v1/orgs/${t.orgId}/team-members`, viewer, { fullName: 'Nope' })).status).toBe(403);
      const grant = await api('PATCH', `/api/v1/orgs/${t.orgId}/members/${t.users.viewer.memberId}`, admin, { customPermissions: { grant: ['team_members:create'], deny: ['members:read'] } });
      expect(grant.status).toBe(200);
      expect((await api('POST', `/api/v1/orgs/${t.orgId}/team-members`, viewer, { fullName: 'Now allowed' })).status).toBe(201);
      expect((await api('GET', `/api/v1/orgs/${t.orgId}/members`, viewer)).status).toBe(403);
      const bogus = await api('PATCH', `/api/v1/orgs/${t.orgId}/members/${t.users.viewer.memberId}`, admin, { customPermissions: { grant: ['everything:all'] } });
      expect(bogus.status).toBe(422);
      expect(bogus.body.errors[0].path).toBe('customPermissions.grant.0');
      // A member holding members:update by grant still cannot hand out custom permissions or the admin role.
      await api('PATCH', `/api/v1/orgs/${t.orgId}/members/${t.users.sales.memberId}`, admin, { customPermissions: { grant: ['members:update', 'members:read'] } });
      expect((await api('PATCH', `/api/v1/orgs/${t.orgId}/members/${t.users.sales.memberId}`, sales, { role: 'administrator' })).status).toBe(403);
      expect((await api('PATCH', `/api/v1/orgs/${t.orgId}/members/${t.users.sales.memberId}`, sales, { customPermissions: { grant: ['billing:update'] } })).status).toBe(403);
    });
  });

  describe('organization settings and plan', () => {
    it('administrators rename and change settings; only the owner changes the plan, which resets the limits', async () => {
      const t = await createTenant(sql, 'plan');
      const admin = await tokenFor(app.auth, t.users.administrator.userId);
      const owner = await tokenFor(app.auth, t.users.owner.userId);
      const renamed = await api('PATCH', `/api/v1/orgs/${t.orgId}`, admin, { name: 'Renamed Inc', settings: { timezone: 'Europe/Paris' } });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ name: 'Renamed Inc', settings: { timezone: 'Europe/Paris' } });
      const merged = await api('PATCH', `/api/v1/orgs/${t.orgId}`, admin, { settings: { currency: 'USD' } });
      expect(merged.body.settings).toEqual({ timezone: 'Europe/Paris', currency: 'USD' });

      const denied = await api('PATCH', `/api/v1/orgs/${t.orgId}`, admin, { subscriptionPlan: 'enterprise' });
      expect(denied.status).toBe(403);
      expect(denied.body.errors).toEqual([{ path: 'subscriptionPlan', message: expect.any(String) }]);
      const upgraded = await api('PATCH', `/api/v1/orgs/${t.orgId}`, owner, { subscriptionPlan: 'professional' });
      expect(upgraded.body).toMatchObject({ subscriptionPlan: 'professional' });
      expect(upgraded.body.limits).toEqual({ maxUsers: 15, maxWorkflows: 100, maxBots: 10, maxExecutionsPerMonth: 100000 });

      const forged = await api('PATCH', `/api/v1/orgs/${t.orgId}`, owner, { limits: { maxUsers: 1000 }, usage: { users: 0 } });
      expect(forged.status).toBe(422);
      expect(forged.body.errors.map((e: any) => e.path).sort()).toEqual(['limits', 'usage']);
    });

    it('POST /orgs creates another organization owned by the caller', async () => {
      const owner = await signUp('First');
      const second = await api('POST', '/api/v1/orgs', owner.token, { name: 'Second Org' });
      expect(second.status).toBe(201);
      expect(second.body).toMatchObject({ name: 'Second Org', usage: { users: 1 } });
      const mine = await api('GET', '/api/v1/orgs', owner.token);
      expect(mine.body.items.map((o: any) => o.name).sort()).toEqual(['First', 'Second Org']);
    });
  });

  describe('team members', () => {
    let t: Tenant;
    let admin: string;
    beforeAll(async () => {
      t = await createTenant(sql, 'team');
      admin = await tokenFor(app.auth, t.users.administrator.userId);
    });
    const base = () => `/api/v1/orgs/${t.orgId}/team-members`;

    it('creates, reads, updates and deletes, with money as integer basis points', async () => {
      const created = await api('POST', base(), admin, { fullName: 'Rita Rep', email: 'RITA@example.test', externalId: 'ghl-user-1', commissionRateBps: 1250, commissionType: 'percentage' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ fullName: 'Rita Rep', email: 'rita@example.test', commissionRateBps: 1250, memberType: 'sales' });
      const float = await api('POST', base(), admin, { fullName: 'Float', commissionRateBps: 12.5 });
      expect(float.status).toBe(422);
      expect(float.body.errors[0].path).toBe('commissionRateBps');
      const dup = await api('POST', base(), admin, { fullName: 'Dup', externalId: 'ghl-user-1' });
      expect(dup.status).toBe(409);
      expect(dup.body.errors).toEqual([{ path: 'externalId', message: expect.any(String) }]);

      const linked = await api('PATCH', `${base()}/${created.body.id}`, admin, { userId: t.users.sales.userId, email: null });
      expect(linked.body).toMatchObject({ userId: t.users.sales.userId, email: null });
      const outsider = await createTenant(sql, 'outsider');
      const badLink = await api('PATCH', `${base()}/${created.body.id}`, admin, { userId: outsider.users.owner.userId });
      expect(badLink.status).toBe(422);
      expect(badLink.body.errors).toEqual([{ path: 'userId', message: 'Not a member of this organization' }]);

      // A delete moves the member to the trash: out of the list, still readable by id (past
      // commissions link to it) with the time it was deleted.
      expect((await api('DELETE', `${base()}/${created.body.id}`, admin)).status).toBe(204);
      expect((await api('GET', base(), admin)).body.items.map((m: any) => m.id)).not.toContain(created.body.id);
      expect((await api('GET', `${base()}/${created.body.id}`, admin)).body).toMatchObject({ id: created.body.id, deletedAt: expect.any(String) });
      expect((await api('GET', `${base()}/${randomUUID()}`, admin)).status).toBe(404);
      expect((await api('GET', `${base()}/not-a-uuid`, admin)).status).toBe(404);
    });

    it('pages by name with a cursor, and searches literally (wildcards and SQL are text)', async () => {
      for (const name of ['Ann 100%', 'Bob_x', 'Cid', "Dee'); drop table public.team_members; --", 'Eve']) {
        expect((await api('POST', base(), admin, { fullName: `Page ${name}` })).status).toBe(201);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const q: string = cursor ? `&cursor=${cursor}` : '';
        const res = await api('GET', `${base()}?q=Page&limit=2${q}`, admin);
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.items.map((i: any) => i.fullName));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['Page Ann 100%', 'Page Bob_x', 'Page Cid', "Page Dee'); drop table public.team_members; --", 'Page Eve']);
      const percent = await api('GET', `${base()}?q=${encodeURIComponent('%')}`, admin);
      expect(percent.body.items.map((i: any) => i.fullName)).toEqual(['Page Ann 100%']);
      const underscore = await api('GET', `${base()}?q=${encodeURIComponent('b_x')}`, admin);
      expect(underscore.body.items.map((i: any) => i.fullName)).toEqual(['Page Bob_x']);
      expect((await api('GET', `${base()}?limit=0`, admin)).status).toBe(422);
      expect((await api('GET', `${base()}?cursor=garbage`, admin)).status).toBe(422);
      expect((await api('GET', `${base()}?sort=name`, admin)).body.errors).toEqual([{ path: 'query.sort', message: 'Unknown field' }]);
    });
  });

  describe('SQL-injection strings', () => {
    const PAYLOADS = ["' or '1'='1", "'; delete from public.team_members; --", '$1) or true --', '\\x00\\\'', "%' union select * from auth.users --"];

    it('are stored and searched as plain text in every text field and filter', async () => {
      const t = await createTenant(sql, 'sqli');
      const other = await createTenant(sql, 'sqli-other');
      const owner = await tokenFor(app.auth, t.users.owner.userId);
      const base = `/api/v1/orgs/${t.orgId}`;
      for (const [i, p] of PAYLOADS.entries()) {
        const org = await api('PATCH', base, owner, { name: `Org ${p}`, settings: { [`k${i}${p}`]: p } });
        expect(org.status).toBe(200);
        expect(org.body.name).toBe(`Org ${p}`);
        expect(org.body.settings[`k${i}${p}`]).toBe(p);
        const tm = await api('POST', `${base}/team-members`, owner, { fullName: `Rep ${p}`, externalId: `${i}${p}` });
        expect(tm.status).toBe(201);
        expect(tm.body).toMatchObject({ fullName: `Rep ${p}`, externalId: `${i}${p}` });
        const found = await api('GET', `${base}/team-members?q=${encodeURIComponent(p)}`, owner);
        expect(found.status).toBe(200);
        expect(found.body.items.map((x: any) => x.fullName)).toEqual([`Rep ${p}`]);
        const audit = await api('GET', `${base}/audit-log?table=${encodeURIComponent(p)}`, owner);
        expect(audit.status).toBe(422);
        const invite = await api('POST', `${base}/members`, owner, { email: p, role: 'viewer' });
        expect(invite.status).toBe(422);
        expect(invite.body.errors[0].path).toBe('email');
      }
      const [counts] = await sql`select (select count(*)::int from public.team_members where organization_id = ${other.orgId}) as other_team,
                                        (select count(*)::int from auth.users) as users`;
      expect(counts!.other_team).toBe(1);
      expect(counts!.users).toBeGreaterThan(10);
    });
  });

  describe('audit log', () => {
    it('records who changed what, newest first, pages with a cursor, and hides itself from viewers', async () => {
      const owner = await signUp('Audited');
      await api('PATCH', `/api/v1/orgs/${owner.orgId}`, owner.token, { name: 'Audited 2' });
      const created = await api('POST', `/api/v1/orgs/${owner.orgId}/team-members`, owner.token, { fullName: 'Audit Rep' });
      await api('PATCH', `/api/v1/orgs/${owner.orgId}/team-members/${created.body.id}`, owner.token, { fullName: 'Audit Rep 2' });

      const first = await api('GET', `/api/v1/orgs/${owner.orgId}/audit-log?limit=2`, owner.token);
      expect(first.status).toBe(200);
      expect(first.body.items[0]).toMatchObject({ tableName: 'team_members', operation: 'UPDATE', changedColumns: ['full_name'], actorEmail: owner.email, diff: { full_name: { old: 'Audit Rep', new: 'Audit Rep 2' } } });
      const rest = await api('GET', `/api/v1/orgs/${owner.orgId}/audit-log?cursor=${first.body.nextCursor}`, owner.token);
      const all = [...first.body.items, ...rest.body.items];
      expect(all.map((e: any) => `${e.tableName}:${e.operation}`)).toEqual([
        'team_members:UPDATE', 'team_members:INSERT', 'organizations:UPDATE', 'organization_members:INSERT', 'organizations:INSERT',
      ]);
      expect(new Set(all.map((e: any) => e.id)).size).toBe(all.length);
      const filtered = await api('GET', `/api/v1/orgs/${owner.orgId}/audit-log?table=organizations`, owner.token);
      expect(filtered.body.items.map((e: any) => e.operation)).toEqual(['UPDATE', 'INSERT']);
    });
  });
});
