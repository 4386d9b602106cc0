import { randomUUID } from 'node:crypto';
import type { Sql } from '../../db/client';
import { type Tx, withClaims } from '../../db/tenant';
import { appSql, testSql } from '../helpers/db';
import { createTenant, type Tenant } from '../helpers/tenants';

/*
 * The commission flow's schema (settings, plan membership, refunds, reminders, corrections,
 * paying a payout), logged in as the app's role with claims, as the API and worker act.
 */
describe('commission flow schema', () => {
  let owner: Sql;
  let app: Sql;
  let a: Tenant;
  let b: Tenant;
  let repOfSales: string;
  beforeAll(async () => {
    owner = testSql();
    app = appSql();
    a = await createTenant(owner, 'flow-a');
    b = await createTenant(owner, 'flow-b');
    const [row] = await owner<{ id: string }[]>`
      insert into public.team_members (organization_id, full_name, user_id) values (${a.orgId}, 'Sam Sales', ${a.users.sales.userId}) returning id`;
    repOfSales = row!.id;
  });
  afterAll(async () => {
    await app.end();
    await owner.end();
  });

  const asUser = <T>(userId: string, fn: (tx: Tx) => Promise<T>) => withClaims(app, { role: 'authenticated', sub: userId }, fn);
  const asWorker = <T>(orgId: string, fn: (tx: Tx) => Promise<T>) => withClaims(app, { role: 'worker', org_id: orgId }, fn);
  const refused = (code: string) => expect.objectContaining({ code });

  const sale = (teamMemberId: string | null, amount = 10_000) =>
    asWorker(a.orgId, async (tx) => {
      const [row] = await tx<{ id: string }[]>`
        insert into public.sales_transactions (organization_id, source, external_id, team_member_id, amount_minor, currency, paid_at)
        values (${a.orgId}, 'api', ${randomUUID()}, ${teamMemberId}, ${amount}, 'USD', now()) returning id`;
      return row!.id;
    });
  const calc = (transactionId: string, teamMemberId: string, amount = 1_000, extra: { supersedes?: string } = {}) =>
    asWorker(a.orgId, async (tx) => {
      const [row] = await tx<{ id: string }[]>`
        insert into public.commission_calculations (organization_id, transaction_id, team_member_id, amount_minor, currency, supersedes)
        values (${a.orgId}, ${transactionId}, ${teamMemberId}, ${amount}, 'USD', ${extra.supersedes ?? null}) returning id`;
      return row!.id;
    });
  const move = (id: string, ...statuses: string[]) =>
    asWorker(a.orgId, async (tx) => {
      for (const status of statuses) await tx`update public.commission_calculations set status = ${status} where id = ${id}`;
    });

  it('lets members who may update commissions write the settings, everyone who reads them see them, and nobody else', async () => {
    await asUser(a.users.administrator.userId, (tx) => tx`
      insert into public.commission_settings (organization_id, timezone, payout_frequency) values (${a.orgId}, 'Europe/Berlin', 'weekly')`);
    const seen = await asUser(a.users.sales.userId, (tx) => tx`select timezone from public.commission_settings where organization_id = ${a.orgId}`);
    expect(seen).toEqual([{ timezone: 'Europe/Berlin' }]);
    const viewerUpdate = await asUser(a.users.viewer.userId, (tx) => tx`update public.commission_settings set timezone = 'UTC' where organization_id = ${a.orgId} returning 1`);
    expect(viewerUpdate).toHaveLength(0);
    expect(await asUser(b.users.owner.userId, (tx) => tx`select 1 from public.commission_settings where organization_id = ${a.orgId}`)).toHaveLength(0);
    await expect(asUser(b.users.owner.userId, (tx) => tx`insert into public.commission_settings (organization_id) values (${a.orgId})`)).rejects.toEqual(refused('42501'));
    await expect(asUser(a.users.owner.userId, (tx) => tx`update public.commission_settings set escalate_after_seconds = 1, reminder_after_seconds = 2 where organization_id = ${a.orgId}`)).rejects.toEqual(refused('23514'));
  });

  it('shows a split sale to the rep it pays, even when a colleague is credited with it', async () => {
    const split = await sale(a.teamMemberId);
    await calc(split, a.teamMemberId, 600);
    await calc(split, repOfSales, 400);
    const other = await sale(a.teamMemberId);
    const visible = await asUser(a.users.sales.userId, (tx) => tx<{ id: string }[]>`select id from public.sales_transactions where id in (${split}, ${other})`);
    expect(visible.map((r) => r.id)).toEqual([split]);
  });

  it('keeps refunds as facts, and lets several refunds claw back one commission once each', async () => {
    const s = await sale(repOfSales, 10_000);
    const c = await calc(s, repOfSales);
    const refund = (key: string) =>
      asWorker(a.orgId, async (tx) => {
        const [row] = await tx<{ id: string }[]>`
          insert into public.sales_refunds (organization_id, transaction_id, external_id, amount_minor) values (${a.orgId}, ${s}, ${key}, 1000) returning id`;
        return row!.id;
      });
    const r1 = await refund('r1');
    const r2 = await refund('r2');
    await expect(refund('r1')).rejects.toEqual(refused('23505'));
    await expect(asWorker(a.orgId, (tx) => tx`update public.sales_refunds set amount_minor = 1 where id = ${r1}`)).rejects.toEqual(refused('42501'));
    await expect(owner`update public.sales_refunds set amount_minor = 1 where id = ${r1}`).rejects.toEqual(refused('FL409'));
    await expect(owner`delete from public.sales_refunds where id = ${r1}`).rejects.toEqual(refused('FL409'));
    const clawback = (refundId: string) =>
      asWorker(a.orgId, (tx) => tx`
        insert into public.commission_calculations (organization_id, transaction_id, team_member_id, kind, amount_minor, currency, clawback_of, refund_id)
        values (${a.orgId}, ${s}, ${repOfSales}, 'clawback', -100, 'USD', ${c}, ${refundId})`);
    await clawback(r1);
    await clawback(r2);
    await expect(clawback(r1)).rejects.toEqual(refused('23505'));
    await expect(asWorker(a.orgId, (tx) => tx`
      insert into public.commission_calculations (organization_id, transaction_id, team_member_id, kind, amount_minor, currency, refund_id)
      values (${a.orgId}, ${s}, ${repOfSales}, 'commission', 5, 'USD', ${r1})`)).rejects.toEqual(refused('23514'));
  });

  it('supersedes a calculation with its correction, once, and never a paid one', async () => {
    const s = await sale(repOfSales);
    const first = await calc(s, repOfSales, 1_000);
    await move(first, 'approved', 'payable');
    const correction = await calc(s, repOfSales, 1_200, { supersedes: first });
    await move(first, 'superseded');
    await expect(calc(s, repOfSales, 1_300, { supersedes: first })).rejects.toEqual(refused('23505'));
    await expect(move(first, 'payable')).rejects.toEqual(refused('FL409'));
    await move(correction, 'approved', 'payable', 'paid');
    await expect(move(correction, 'superseded')).rejects.toEqual(refused('FL409'));
  });

  it('pays the commissions of a payout when the payout is marked paid', async () => {
    const s = await sale(repOfSales);
    const c = await calc(s, repOfSales, 2_500);
    await move(c, 'approved', 'payable');
    const payoutId = await asWorker(a.orgId, async (tx) => {
      const [p] = await tx<{ id: string }[]>`
        insert into public.commission_payouts (organization_id, team_member_id, period_start, period_end, currency)
        values (${a.orgId}, ${repOfSales}, '2026-10-01', '2026-10-31', 'USD') returning id`;
      await tx`insert into public.commission_payout_items (organization_id, payout_id, team_member_id, currency, calculation_id, amount_minor)
        values (${a.orgId}, ${p!.id}, ${repOfSales}, 'USD', ${c}, 2500)`;
      await tx`update public.commission_payouts set total_minor = 2500 where id = ${p!.id}`;
      return p!.id;
    });
    await asUser(a.users.administrator.userId, (tx) => tx`update public.commission_payouts set status = 'locked' where id = ${payoutId}`);
    await asUser(a.users.administrator.userId, (tx) => tx`update public.commission_payouts set status = 'paid' where id = ${payoutId}`);
    const [row] = await owner<{ status: string }[]>`select status from public.commission_calculations where id = ${c}`;
    expect(row!.status).toBe('paid');
  });

  it('records reminders once per calculation and kind, for the workers, readable by approvers but not reps', async () => {
    const s = await sale(repOfSales);
    const c = await calc(s, repOfSales);
    const remind = () => asWorker(a.orgId, (tx) => tx`
      insert into public.commission_notifications (organization_id, calculation_id, kind, recipients) values (${a.orgId}, ${c}, 'reminder', ${[a.users.owner.userId]}::uuid[])`);
    await remind();
    await expect(remind()).rejects.toEqual(refused('23505'));
    expect(await asUser(a.users.owner.userId, (tx) => tx`select kind from public.commission_notifications where calculation_id = ${c}`)).toEqual([{ kind: 'reminder' }]);
    expect(await asUser(a.users.sales.userId, (tx) => tx`select kind from public.commission_notifications where calculation_id = ${c}`)).toEqual([]);
  });
});
