import { randomUUID } from 'node:crypto';
import type { Sql } from '../../db/client';
import { call, tokenFor } from '../helpers/api';
import { appSql } from '../helpers/db';
import { useAppStack } from '../helpers/stack';
import { createTenant, type Tenant } from '../helpers/tenants';
import { ledger, plan, workerWriter } from '../commissions/ledger';

// Deleting a team member over HTTP: the member goes to the trash, their past commissions keep
// their name, nothing new is credited to them, and a restore within the window brings them back.

describe('team members trash', () => {
  const stack = useAppStack();
  let app: Sql;
  let t: Tenant;
  let other: Tenant;
  let owner: string;
  let admin: string;
  let sales: string;
  let otherOwner: string;
  beforeAll(async () => {
    app = appSql();
    t = await createTenant(stack.sql, 'trash-team');
    other = await createTenant(stack.sql, 'trash-team-other');
    owner = await tokenFor(stack.app.auth, t.users.owner.userId);
    admin = await tokenFor(stack.app.auth, t.users.administrator.userId);
    sales = await tokenFor(stack.app.auth, t.users.sales.userId);
    otherOwner = await tokenFor(stack.app.auth, other.users.owner.userId);
  });
  afterAll(async () => {
    await app?.end();
  });

  const api = (token: string, method: string, p: string, body?: unknown, orgId = t.orgId) =>
    call(stack.app.url, method, `/api/v1/orgs/${orgId}${p}`, { token, body });
  const member = async (fullName: string, externalId: string | null = `ghl-${randomUUID()}`) => {
    const created = await api(owner, 'POST', '/team-members', { fullName, externalId, commissionRateBps: 1000, commissionType: 'percentage' });
    expect(created.status).toBe(201);
    return created.body as { id: string; externalId: string | null };
  };
  const listed = async (query = '') => (await api(owner, 'GET', `/team-members?limit=100${query}`)).body.items.map((m: { id: string }) => m.id) as string[];

  it('hides a deleted member from the list, shows them in the trash until their restore deadline, and restores them', async () => {
    const m = await member('Dee Leted');
    expect((await api(admin, 'DELETE', `/team-members/${m.id}`)).status).toBe(204);
    expect(await listed()).not.toContain(m.id);

    const trash = await api(owner, 'GET', '/team-members?deleted=true&limit=100');
    const entry = trash.body.items.find((x: { id: string }) => x.id === m.id);
    expect(entry).toMatchObject({ fullName: 'Dee Leted', deletedAt: expect.any(String) });
    expect(Date.parse(entry.restorableUntil) - Date.parse(entry.deletedAt)).toBe(30 * 86_400_000);
    expect(trash.body.items.some((x: { id: string }) => x.id === t.teamMemberId)).toBe(false);

    // Still readable by id (past commissions link to it), but not editable while deleted.
    expect((await api(owner, 'GET', `/team-members/${m.id}`)).body).toMatchObject({ id: m.id, deletedAt: expect.any(String) });
    const patch = await api(owner, 'PATCH', `/team-members/${m.id}`, { fullName: 'Renamed' });
    expect(patch.status).toBe(409);
    expect(patch.headers.get('content-type')).toContain('application/problem+json');
    expect((await api(owner, 'DELETE', `/team-members/${m.id}`)).status).toBe(409);

    const restored = await api(owner, 'POST', `/team-members/${m.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id: m.id, deletedAt: null, restorableUntil: null });
    expect(await listed()).toContain(m.id);
    expect((await api(owner, 'POST', `/team-members/${m.id}/restore`)).status).toBe(409);
  });

  it("keeps a deleted member's past commissions and payouts readable with their name", async () => {
    const m = await member('Past Earner');
    const books = ledger(workerWriter(app));
    const { id: calculationId } = await books.commission(t.orgId, m.id, 1_500, ['approved', 'payable']);
    const payout = await books.payout(t.orgId, m.id, [{ calculationId, amountMinor: 1_500 }]);
    expect((await api(owner, 'DELETE', `/team-members/${m.id}`)).status).toBe(204);

    const calc = await api(owner, 'GET', `/commissions/${calculationId}`);
    expect(calc.status).toBe(200);
    expect(calc.body).toMatchObject({ teamMemberId: m.id, teamMemberName: 'Past Earner', amountMinor: 1_500 });
    const listedCalcs = await api(owner, 'GET', '/commissions?limit=100');
    expect(listedCalcs.body.items.find((c: { id: string }) => c.id === calculationId)).toMatchObject({ teamMemberName: 'Past Earner' });
    expect((await api(owner, 'GET', `/payouts/${payout.id}`)).body).toMatchObject({ teamMemberName: 'Past Earner' });
  });

  it('credits no new sale to a deleted member: recording, assigning and plan membership are refused with the field named', async () => {
    const m = await member('Gone Rep');
    const { planId } = await plan(stack.sql, t.orgId);
    expect((await api(owner, 'PATCH', `/commission-plans/${planId}`, { memberIds: [m.id] })).body.memberIds).toEqual([m.id]);
    expect((await api(owner, 'DELETE', `/team-members/${m.id}`)).status).toBe(204);

    // The plan no longer lists them, and editing the plan does not drop their membership.
    expect((await api(owner, 'GET', `/commission-plans/${planId}`)).body.memberIds).toEqual([]);
    const onPlan = await api(owner, 'PATCH', `/commission-plans/${planId}`, { memberIds: [m.id] });
    expect(onPlan.status).toBe(422);
    expect(onPlan.body.errors).toEqual([{ path: 'memberIds.0', message: expect.stringMatching(/deleted/) }]);

    const sale = await api(owner, 'POST', '/sales-transactions', { amountMinor: 10_000, currency: 'USD', teamMemberId: m.id });
    expect(sale.status).toBe(422);
    expect(sale.headers.get('content-type')).toContain('application/problem+json');
    expect(sale.body.errors).toEqual([{ path: 'teamMemberId', message: 'is a deleted team member' }]);
    expect((await stack.sql`select 1 from public.sales_transactions where organization_id = ${t.orgId} and team_member_id = ${m.id}`).length).toBe(0);

    const unattributed = await ledger(workerWriter(app)).sale(t.orgId, { teamMemberId: null });
    const assign = await api(owner, 'POST', `/sales-transactions/${unattributed}/assign`, { teamMemberId: m.id });
    expect(assign.status).toBe(422);
    expect(assign.body.errors).toEqual([{ path: 'teamMemberId', message: 'is a deleted team member' }]);

    // Restored, they are back on their plan.
    expect((await api(owner, 'POST', `/team-members/${m.id}/restore`)).status).toBe(200);
    expect((await api(owner, 'GET', `/commission-plans/${planId}`)).body.memberIds).toEqual([m.id]);
  });

  it('lets a new member take a deleted one\'s GHL user id, and then refuses to restore the old one (409)', async () => {
    const old = await member('Old Holder');
    expect((await api(owner, 'DELETE', `/team-members/${old.id}`)).status).toBe(204);
    const successor = await member('New Holder', old.externalId);
    const refused = await api(owner, 'POST', `/team-members/${old.id}/restore`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/New Holder now has this GHL user id/);
    expect(refused.body.errors).toEqual([{ path: 'externalId', message: expect.any(String) }]);

    expect((await api(owner, 'PATCH', `/team-members/${successor.id}`, { externalId: null })).status).toBe(200);
    expect((await api(owner, 'POST', `/team-members/${old.id}/restore`)).status).toBe(200);
  });

  it("refuses a restore past the organization's trash retention window (409)", async () => {
    await stack.sql`update public.organizations set settings = settings || '{"trashRetentionDays": 3}'::jsonb where id = ${t.orgId}`;
    try {
      const m = await member('Long Gone');
      expect((await api(owner, 'DELETE', `/team-members/${m.id}`)).status).toBe(204);
      await stack.sql`update public.team_members set deleted_at = now() - interval '4 days' where id = ${m.id}`;
      const trash = await api(owner, 'GET', '/team-members?deleted=true&limit=100');
      const entry = trash.body.items.find((x: { id: string }) => x.id === m.id);
      expect(Date.parse(entry.restorableUntil)).toBeLessThan(Date.now());
      const late = await api(owner, 'POST', `/team-members/${m.id}/restore`);
      expect(late.status).toBe(409);
      expect(late.body.detail).toMatch(/can no longer be restored/);
    } finally {
      await stack.sql`update public.organizations set settings = settings - 'trashRetentionDays' where id = ${t.orgId}`;
    }
  });

  it('lets only members allowed to delete team members delete or restore them, and answers 404 for another organization', async () => {
    const m = await member('Guarded');
    expect((await api(sales, 'DELETE', `/team-members/${m.id}`)).status).toBe(403);
    expect((await api(otherOwner, 'DELETE', `/team-members/${m.id}`, undefined, other.orgId)).status).toBe(404);
    expect((await api(owner, 'DELETE', `/team-members/${m.id}`)).status).toBe(204);
    expect((await api(sales, 'POST', `/team-members/${m.id}/restore`)).status).toBe(403);
    expect((await api(otherOwner, 'POST', `/team-members/${m.id}/restore`, undefined, other.orgId)).status).toBe(404);
    const [row] = await stack.sql`select deleted_at is not null as deleted from public.team_members where id = ${m.id}`;
    expect(row).toEqual({ deleted: true });
  });
});
