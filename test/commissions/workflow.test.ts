// The commission path on the real stack: API over HTTP, a real worker on the Temporal dev
// server, real Postgres, and the fake GHL for attribution. Timers are seconds here (settings).
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { ensurePayoutSchedule, payoutScheduleId } from '../../api/commissions/payout-schedule';
import { lastCompletePeriod } from '../../commissions';
import type { Sql } from '../../db/client';
import { startFakeGhl, type FakeGhl } from '../../fakes/ghl';
import { commissionStateQuery } from '../../workflows/commissions/messages';
import { call, tokenFor } from '../helpers/api';
import { startApp, type RunningApp } from '../helpers/app';
import { testSql } from '../helpers/db';
import { createIntegration } from '../helpers/integrations';
import { createTenant, type Tenant } from '../helpers/tenants';
import { connectClient, startWorker, type RunningWorker } from '../helpers/worker';
import { until } from '../helpers/until';

// Stand-ins for GHL's webhook signing key: the app trusts their public half, as it does GHL's.
const ed = generateKeyPairSync('ed25519');

describe('commissions on the real stack', () => {
  let sql: Sql;
  let fake: FakeGhl;
  let worker: RunningWorker;
  let app: RunningApp;
  let temporal: { client: Client; close: () => Promise<void> };
  beforeAll(async () => {
    sql = testSql();
    fake = await startFakeGhl({ seed: { contacts: 6 } });
    worker = await startWorker({ ghl: { baseUrl: fake.url } });
    const ed25519PublicKeyPem = ed.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    app = await startApp({ taskQueue: worker.taskQueue, ghl: { baseUrl: fake.url, webhookKeys: { ed25519PublicKeyPem } } });
    temporal = await connectClient();
  });
  afterAll(async () => {
    await temporal?.close();
    await app?.close();
    await worker?.stop();
    await fake?.close();
    await sql?.end();
  });

  interface Org {
    t: Tenant;
    owner: string;
    admin: string;
    sales: string;
    viewer: string;
    rep: string;
  }

  /** An org whose rep earns 10% (their own rate), with the sales login linked to the rep. */
  async function org(label: string, settings: Record<string, unknown> = {}): Promise<Org> {
    const t = await createTenant(sql, label);
    await sql`update public.team_members set commission_rate_bps = 1000, commission_type = 'percentage', user_id = ${t.users.sales.userId} where id = ${t.teamMemberId}`;
    await sql`
      insert into public.commission_settings ${sql({ organization_id: t.orgId, reminder_after_seconds: 3600, escalate_after_seconds: 7200, ...settings })}`;
    return {
      t,
      owner: await tokenFor(app.auth, t.users.owner.userId),
      admin: await tokenFor(app.auth, t.users.administrator.userId),
      sales: await tokenFor(app.auth, t.users.sales.userId),
      viewer: await tokenFor(app.auth, t.users.viewer.userId),
      rep: t.teamMemberId,
    };
  }

  /** The one organization connected to the fake GHL's location (a location belongs to one integration). */
  let connected: Promise<{ o: Org; contact: { id: string; assignedTo?: string | null } }> | undefined;
  const ghlOrg = () =>
    (connected ??= (async () => {
      const o = await org('comm-ghl');
      await createIntegration(sql, o.t.orgId, { locationId: fake.locationId, token: fake.privateToken });
      const contact = [...fake.state.contacts.values()].find((c) => c.assignedTo)!;
      await sql`update public.team_members set external_id = ${contact.assignedTo!} where id = ${o.rep}`;
      return { o, contact };
    })());

  const api = (o: Org, token: string, method: string, p: string, body?: unknown) => call(app.url, method, `/api/v1/orgs/${o.t.orgId}${p}`, { token, body });

  const calculations = (orgId: string, saleId: string) =>
    sql<{ id: string; kind: string; status: string; amount_minor: string; approver_user_id: string | null; team_member_id: string }[]>`
      select id, kind, status, amount_minor::text, approver_user_id, team_member_id from public.commission_calculations
      where organization_id = ${orgId} and transaction_id = ${saleId} order by created_at, id`;

  async function pendingCalculation(o: Org, saleId: string) {
    return until('the pending calculation', async () => {
      const rows = await calculations(o.t.orgId, saleId);
      return rows.length > 0 ? rows[0] : undefined;
    });
  }

  /** Waits until the sale's workflow waits for a decision (the update's validator needs that). */
  async function awaitingApproval(workflowId: string) {
    return until('the workflow to await approval', async () => {
      const state = await temporal.client.workflow.getHandle(workflowId).query(commissionStateQuery).catch(() => undefined);
      return state?.phase === 'awaiting_approval' ? state : undefined;
    });
  }

  it('prices a sale, waits for an approver, refuses the wrong deciders, and makes the approved commission payable', async () => {
    const o = await org('comm-approve');
    const created = await api(o, o.admin, 'POST', '/sales-transactions', { externalId: 'inv-1', amountMinor: 123_456, currency: 'USD', teamMemberId: o.rep, source: 'manual' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ externalId: 'inv-1', amountMinor: 123_456, teamMemberId: o.rep, status: 'paid' });
    const again = await api(o, o.admin, 'POST', '/sales-transactions', { externalId: 'inv-1', amountMinor: 123_456, currency: 'USD', teamMemberId: o.rep, source: 'manual' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(created.body.id);
    const conflicting = await api(o, o.admin, 'POST', '/sales-transactions', { externalId: 'inv-1', amountMinor: 1, currency: 'USD', source: 'manual' });
    expect(conflicting.status).toBe(409);
    expect(conflicting.headers.get('content-type')).toContain('application/problem+json');

    const calc = await pendingCalculation(o, created.body.id);
    // 10% of 1234.56 = 123.456 -> 123.46 (half-even at the cent).
    expect(calc).toMatchObject({ kind: 'commission', status: 'pending', amount_minor: '12346' });
    await awaitingApproval(created.body.workflowId);

    // The rep may not approve (no commissions:approve), nor may a viewer; another org sees nothing.
    expect((await api(o, o.sales, 'POST', `/commissions/${calc.id}/approve`, {})).status).toBe(403);
    expect((await api(o, o.viewer, 'POST', `/commissions/${calc.id}/approve`, {})).status).toBe(403);
    const other = await org('comm-approve-other');
    expect((await api(other, other.owner, 'POST', `/commissions/${calc.id}/approve`, {})).status).toBe(404);
    expect((await call(app.url, 'POST', `/api/v1/orgs/${other.t.orgId}/commissions/${calc.id}/approve`, { token: other.owner, body: {} })).status).toBe(404);
    // A reject needs a reason.
    const noReason = await api(o, o.admin, 'POST', `/commissions/${calc.id}/reject`, {});
    expect(noReason.status).toBe(422);
    expect(noReason.body.errors[0].path).toBe('comment');

    const approved = await api(o, o.admin, 'POST', `/commissions/${calc.id}/approve`, { comment: 'good deal' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ id: calc.id, status: 'payable', comment: 'good deal', approverUserId: o.t.users.administrator.userId });
    expect((await api(o, o.owner, 'POST', `/commissions/${calc.id}/approve`, {})).status).toBe(409);
    const outcome = await temporal.client.workflow.getHandle(created.body.workflowId).result();
    expect(outcome.calculations).toEqual([{ id: calc.id, status: 'payable' }]);
    expect(await calculations(o.t.orgId, created.body.id)).toHaveLength(1);
  });

  it("never lets a manager approve their own commission, even as owner", async () => {
    const o = await org('comm-own');
    await sql`update public.team_members set user_id = ${o.t.users.owner.userId} where id = ${o.rep}`;
    const sale = await api(o, o.owner, 'POST', '/sales-transactions', { amountMinor: 5_000, currency: 'USD', teamMemberId: o.rep });
    const calc = await pendingCalculation(o, sale.body.id);
    await awaitingApproval(sale.body.workflowId);
    const own = await api(o, o.owner, 'POST', `/commissions/${calc.id}/approve`, {});
    expect(own.status).toBe(403);
    expect(own.body.detail).toMatch(/own commission/);
    const rejected = await api(o, o.admin, 'POST', `/commissions/${calc.id}/reject`, { comment: 'duplicate sale' });
    expect(rejected.body).toMatchObject({ status: 'rejected', comment: 'duplicate sale' });
  });

  it('approves automatically under the threshold, and holds a sale in another currency than the plan', async () => {
    const o = await org('comm-auto', { auto_approve_max_minor: 1_000, auto_approve_currency: 'USD' });
    const small = await api(o, o.admin, 'POST', '/sales-transactions', { amountMinor: 9_999, currency: 'USD', teamMemberId: o.rep });
    const result = await temporal.client.workflow.getHandle(small.body.workflowId).result();
    expect(result.calculations).toHaveLength(1);
    expect(result.calculations[0]!.status).toBe('payable');
    const [row] = await calculations(o.t.orgId, small.body.id);
    expect(row).toMatchObject({ amount_minor: '1000', status: 'payable', approver_user_id: null });

    const [plan] = await sql<{ id: string }[]>`insert into public.commission_plans (organization_id, name) values (${o.t.orgId}, 'EUR plan') returning id`;
    await sql`insert into public.commission_plan_versions (organization_id, plan_id, effective_from, currency, rules)
      values (${o.t.orgId}, ${plan!.id}, '2020-01-01', 'EUR', ${sql.json({ rules: [{ kind: 'percentage', id: 'base', rateBps: 500 }] })})`;
    await sql`insert into public.commission_plan_members (organization_id, team_member_id, plan_id) values (${o.t.orgId}, ${o.rep}, ${plan!.id})`;
    const usd = await api(o, o.admin, 'POST', '/sales-transactions', { amountMinor: 500, currency: 'USD', teamMemberId: o.rep });
    const held = await pendingCalculation(o, usd.body.id);
    expect(held).toMatchObject({ status: 'held', amount_minor: '0' });
    const detail = await api(o, o.admin, 'GET', `/commissions/${held.id}`);
    expect(detail.body.heldReason).toMatch(/EUR|currency/);

    // The manager takes the rep off the EUR plan and prices the sale again: their own 10% applies.
    await sql`delete from public.commission_plan_members where team_member_id = ${o.rep}`;
    const repriced = await api(o, o.admin, 'POST', `/sales-transactions/${usd.body.id}/correct`, { amountMinor: 500 });
    expect(repriced.status).toBe(200);
    // 50 is under the organization's auto-approval limit: it is approved without a person.
    const rows = await until('the re-priced commission, approved', async () => {
      const all = await calculations(o.t.orgId, usd.body.id);
      return all.length === 2 && all[1]!.status === 'payable' ? all : undefined;
    });
    expect(rows.map((r) => [r.status, r.amount_minor])).toEqual([['superseded', '0'], ['payable', '50']]);
    const again = await api(o, o.admin, 'GET', `/commissions/${rows[1]!.id}`);
    expect(again.body.trace[0].note).toMatch(/priced again/);
  });

  it('reminds the approvers, then escalates to the owners, on durable timers', async () => {
    const o = await org('comm-remind', { reminder_after_seconds: 1, escalate_after_seconds: 2 });
    const sale = await api(o, o.admin, 'POST', '/sales-transactions', { amountMinor: 20_000, currency: 'USD', teamMemberId: o.rep });
    const calc = await pendingCalculation(o, sale.body.id);
    const notes = await until('the escalation', async () => {
      const rows = await sql<{ kind: string; recipients: string[] }[]>`
        select kind, recipients from public.commission_notifications where calculation_id = ${calc.id} order by created_at`;
      return rows.length === 2 ? rows : undefined;
    });
    expect(notes.map((n) => n.kind)).toEqual(['reminder', 'escalation']);
    // Approvers (owner, administrator), never the rep; the escalation goes to the owner only.
    expect(new Set(notes[0]!.recipients)).toEqual(new Set([o.t.users.owner.userId, o.t.users.administrator.userId]));
    expect(notes[1]!.recipients).toEqual([o.t.users.owner.userId]);
    const state = await temporal.client.workflow.getHandle(sale.body.workflowId).query(commissionStateQuery);
    expect(state).toMatchObject({ phase: 'awaiting_approval', reminded: true, escalated: true });
    expect((await api(o, o.owner, 'POST', `/commissions/${calc.id}/approve`, {})).body.status).toBe('payable');
    await temporal.client.workflow.getHandle(sale.body.workflowId).result();
  });

  it('waits on an unattributed sale until a manager assigns it, then prices it', async () => {
    const o = await org('comm-assign');
    const sale = await api(o, o.admin, 'POST', '/sales-transactions', { amountMinor: 10_000, currency: 'USD' });
    expect(sale.body.teamMemberId).toBeNull();
    await until('the unattributed phase', async () => {
      const state = await temporal.client.workflow.getHandle(sale.body.workflowId).query(commissionStateQuery).catch(() => undefined);
      return state?.phase === 'unattributed' ? state : undefined;
    });
    expect((await api(o, o.sales, 'POST', `/sales-transactions/${sale.body.id}/assign`, { teamMemberId: o.rep })).status).toBe(403);
    expect((await api(o, o.admin, 'POST', `/sales-transactions/${sale.body.id}/assign`, { teamMemberId: randomUUID() })).status).toBe(422);
    const assigned = await api(o, o.admin, 'POST', `/sales-transactions/${sale.body.id}/assign`, { teamMemberId: o.rep });
    expect(assigned.body.teamMemberId).toBe(o.rep);
    expect((await api(o, o.admin, 'POST', `/sales-transactions/${sale.body.id}/assign`, { teamMemberId: o.rep })).status).toBe(409);
    const calc = await pendingCalculation(o, sale.body.id);
    expect(calc.amount_minor).toBe('1000');
  });

  it('pays approved commissions in a payout, and claws back a later refund from the next payout', async () => {
    const o = await org('comm-refund');
    const sale = await api(o, o.admin, 'POST', '/sales-transactions', { amountMinor: 100_000, currency: 'USD', teamMemberId: o.rep });
    const calc = await pendingCalculation(o, sale.body.id);
    await awaitingApproval(sale.body.workflowId);
    await api(o, o.admin, 'POST', `/commissions/${calc.id}/approve`, {});

    const run = await api(o, o.admin, 'POST', '/payouts/run', {});
    expect(run.status).toBe(200);
    expect(run.body.workflowId).toBe(`payout:${o.t.orgId}:${run.body.periodStart}..${run.body.periodEnd}`);
    expect(run.body.payouts).toHaveLength(1);
    const payout = run.body.payouts[0];
    expect(payout).toMatchObject({ teamMemberId: o.rep, totalMinor: 10_000, status: 'draft', itemCount: 1 });
    // The period ending on or before a day; both at once are refused.
    const byDay = await api(o, o.admin, 'POST', '/payouts/run', { periodEnd: run.body.periodEnd });
    expect(byDay.body).toMatchObject({ periodStart: run.body.periodStart, periodEnd: run.body.periodEnd });
    expect((await api(o, o.admin, 'POST', '/payouts/run', { period: 'current', periodEnd: run.body.periodEnd })).status).toBe(422);
    // Running again adds nothing.
    expect((await api(o, o.admin, 'POST', '/payouts/run', {})).body.payouts[0]).toMatchObject({ id: payout.id, totalMinor: 10_000, itemCount: 1 });
    expect((await api(o, o.admin, 'POST', `/payouts/${payout.id}/mark-paid`, {})).status).toBe(409);
    expect((await api(o, o.sales, 'POST', `/payouts/${payout.id}/lock`, {})).status).toBe(403);
    expect((await api(o, o.admin, 'POST', `/payouts/${payout.id}/lock`, {})).body.status).toBe('locked');
    expect((await api(o, o.admin, 'POST', `/payouts/${payout.id}/lock`, {})).status).toBe(409);
    expect((await api(o, o.admin, 'POST', `/payouts/${payout.id}/mark-paid`, {})).body.status).toBe('paid');
    expect((await calculations(o.t.orgId, sale.body.id))[0]!.status).toBe('paid');

    // A 30% refund after the payout: a payable clawback of 30% of the commission.
    const tooMuch = await api(o, o.admin, 'POST', `/sales-transactions/${sale.body.id}/refunds`, { amountMinor: 100_001 });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.errors[0].path).toBe('amountMinor');
    const refund = await api(o, o.admin, 'POST', `/sales-transactions/${sale.body.id}/refunds`, { amountMinor: 30_000, externalId: 'r-1', reason: 'returned' });
    expect(refund.status).toBe(201);
    expect(refund.body.sale).toMatchObject({ status: 'partially_refunded', refundedMinor: 30_000 });
    expect(refund.body.clawbacks).toHaveLength(1);
    expect(refund.body.clawbacks[0]).toMatchObject({ kind: 'clawback', amountMinor: -3_000, status: 'payable', clawbackOf: calc.id });
    const repeat = await api(o, o.admin, 'POST', `/sales-transactions/${sale.body.id}/refunds`, { amountMinor: 30_000, externalId: 'r-1' });
    expect(repeat.body.clawbacks.map((c: { id: string }) => c.id)).toEqual(refund.body.clawbacks.map((c: { id: string }) => c.id));

    // The next run cannot touch the paid payout: the period's draft is gone (paid), so the
    // clawback waits in a new payout of the following period (here: the previous period run).
    const next = await api(o, o.admin, 'POST', '/payouts/run', { period: 'previous' });
    const recovery = next.body.payouts.find((p: { teamMemberId: string }) => p.teamMemberId === o.rep);
    expect(recovery).toMatchObject({ totalMinor: -3_000, status: 'draft', itemCount: 1 });
    const rows = await calculations(o.t.orgId, sale.body.id);
    expect(rows.map((r) => [r.kind, r.amount_minor])).toEqual([['commission', '10000'], ['clawback', '-3000']]);
  });

  it("records a GHL workflow webhook payment once, attributed to the GHL contact's assigned user", async () => {
    const { o, contact } = await ghlOrg();
    const list = await call(app.url, 'GET', `/api/v1/orgs/${o.t.orgId}/integrations`, { token: o.owner });
    const hookPath: string = list.body.items[0].workflowWebhookPath;
    const fixture = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'ghl-webhooks', 'workflow-webhook-payment-received.json'), 'utf8'));
    const body = JSON.stringify({ ...fixture, contact_id: contact.id, customData: {}, location: { ...fixture.location, id: fake.locationId } });
    const send = () => fetch(`${app.url}${hookPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    const sale = await until('the GHL sale', async () => {
      const [row] = await sql<{ id: string; amount_minor: string; team_member_id: string | null; source: string; external_id: string }[]>`
        select id, amount_minor::text, team_member_id, source, external_id from public.sales_transactions where organization_id = ${o.t.orgId} and source = 'ghl_workflow'`;
      return row?.team_member_id ? row : undefined;
    });
    expect(sale).toMatchObject({ source: 'ghl_workflow', external_id: fixture.payment.transaction_id, amount_minor: '113100', team_member_id: o.rep });
    const calc = await pendingCalculation(o, sale.id);
    expect(calc.amount_minor).toBe('11310');
    const trace = await api(o, o.admin, 'GET', `/commissions/${calc.id}`);
    expect(trace.body.trace[0]).toMatchObject({ rule: 'attribution' });
    expect(trace.body.trace[0].note).toMatch(/contact/);
    const [count] = await sql<{ sales: number; calcs: number }[]>`
      select (select count(*)::int from public.sales_transactions where organization_id = ${o.t.orgId} and source = 'ghl_workflow') as sales,
             (select count(*)::int from public.commission_calculations c join public.sales_transactions s on s.id = c.transaction_id
               where c.organization_id = ${o.t.orgId} and s.source = 'ghl_workflow') as calcs`;
    expect(count).toEqual({ sales: 1, calcs: 1 });
  });

  it('claws back a payment GHL reports refunded through the same workflow webhook', async () => {
    const { o } = await ghlOrg();
    const list = await call(app.url, 'GET', `/api/v1/orgs/${o.t.orgId}/integrations`, { token: o.owner });
    const hookPath: string = list.body.items[0].workflowWebhookPath;
    const fixture = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'ghl-webhooks', 'workflow-webhook-payment-received.json'), 'utf8'));
    const transactionId = `txn-${randomUUID()}`;
    const delivery = (status: string) =>
      fetch(`${app.url}${hookPath}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...fixture, customData: { sales_rep_id: o.rep }, location: { ...fixture.location, id: fake.locationId }, payment: { ...fixture.payment, transaction_id: transactionId, payment_status: status } }),
      });
    expect((await delivery('succeeded')).status).toBe(200);
    const sale = await until('the sale', async () => {
      const [row] = await sql<{ id: string; workflow_id: string }[]>`select id, workflow_id from public.sales_transactions where organization_id = ${o.t.orgId} and external_id = ${transactionId}`;
      return row;
    });
    const calc = await pendingCalculation(o, sale.id);
    await awaitingApproval(sale.workflow_id);
    await api(o, o.admin, 'POST', `/commissions/${calc.id}/approve`, {});

    expect((await delivery('refunded')).status).toBe(200);
    expect((await delivery('refunded')).status).toBe(200);
    const rows = await until('the clawback', async () => {
      const all = await calculations(o.t.orgId, sale.id);
      return all.length === 2 ? all : undefined;
    });
    expect(rows.map((r) => [r.kind, r.status, r.amount_minor])).toEqual([['commission', 'payable', '11310'], ['clawback', 'payable', '-11310']]);
    const detail = await api(o, o.admin, 'GET', `/sales-transactions/${sale.id}`);
    expect(detail.body).toMatchObject({ status: 'refunded', refundedMinor: 113_100 });
    expect(detail.body.refunds).toHaveLength(1);
  });

  it('records the parts of an invoice paid in instalments once each, whatever the redeliveries and their order', async () => {
    const { o, contact } = await ghlOrg();
    const deliver = async (invoiceId: string, name: string) => {
      const event = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'ghl-webhooks', 'events', `${name}.json`), 'utf8'));
      const body = { ...event, _id: invoiceId, altId: fake.locationId, contactDetails: { ...event.contactDetails, id: contact.id }, webhookId: randomUUID(), timestamp: new Date().toISOString() };
      const raw = JSON.stringify(body);
      const signature = sign(null, Buffer.from(raw), ed.privateKey).toString('base64');
      const res = await fetch(`${app.url}/api/v1/integrations/ghl/webhooks?event=${name}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ghl-signature': signature }, body: raw });
      expect(res.status).toBe(200);
    };
    const salesOf = (invoiceId: string) =>
      sql<{ external_id: string; amount_minor: string; calcs: number }[]>`
        select s.external_id, s.amount_minor::text,
          (select count(*)::int from public.commission_calculations c where c.transaction_id = s.id) as calcs
        from public.sales_transactions s
        where s.organization_id = ${o.t.orgId} and s.source = 'ghl_invoice' and starts_with(s.external_id, ${`${invoiceId}@`})
        order by s.amount_minor desc`;
    const settled = async () =>
      until('every delivery and its commission workflow', async () => {
        const [row] = await sql<{ n: number }[]>`select count(*)::int as n from public.ghl_webhook_events where organization_id = ${o.t.orgId} and processed_at is null`;
        if (row!.n > 0) return undefined;
        const running = await temporal.client.workflow.count(`OrganizationId = '${o.t.orgId}' AND ExecutionStatus = 'Running' AND WorkflowType = 'ghlEventWorkflow'`);
        return running.count === 0 ? true : undefined;
      });

    // In order: 899.00 paid so far, then 999.00 (the last 100.00); then a redelivery of each.
    const inOrder = `inv-${randomUUID()}`;
    await deliver(inOrder, 'InvoicePartiallyPaid');
    await until('the first instalment', async () => ((await salesOf(inOrder)).length === 1 ? true : undefined));
    await deliver(inOrder, 'InvoicePaid');
    await deliver(inOrder, 'InvoicePaid');
    await deliver(inOrder, 'InvoicePartiallyPaid');
    const both = await until('both instalments, priced', async () => {
      const rows = await salesOf(inOrder);
      return rows.length === 2 && rows.every((r) => r.calcs === 1) ? rows : undefined;
    });
    expect(both).toEqual([
      { external_id: `${inOrder}@89900`, amount_minor: '89900', calcs: 1 },
      { external_id: `${inOrder}@99900`, amount_minor: '10000', calcs: 1 },
    ]);

    // Out of order: the full total first; the older partial total adds nothing.
    const late = `inv-${randomUUID()}`;
    await deliver(late, 'InvoicePaid');
    await until('the whole invoice', async () => ((await salesOf(late)).length === 1 ? true : undefined));
    await deliver(late, 'InvoicePartiallyPaid');
    await settled();
    expect(await salesOf(late)).toEqual([{ external_id: `${late}@99900`, amount_minor: '99900', calcs: 1 }]);
    expect(await salesOf(inOrder)).toHaveLength(2);
  });

  it("runs the organization's payout schedule (triggered by hand) for the period that just ended", async () => {
    const o = await org('comm-schedule', { auto_approve_max_minor: 1_000_000, auto_approve_currency: 'USD', payout_frequency: 'weekly', timezone: 'America/New_York' });
    const sale = await api(o, o.admin, 'POST', '/sales-transactions', { amountMinor: 4_321, currency: 'USD', teamMemberId: o.rep });
    await temporal.client.workflow.getHandle(sale.body.workflowId).result();
    const services = { temporal: temporal.client, taskQueue: worker.taskQueue };
    await ensurePayoutSchedule(services, o.t.orgId, { payoutFrequency: 'weekly', payoutAnchor: '2026-01-05', timezone: 'America/New_York' });
    const handle = temporal.client.schedule.getHandle(payoutScheduleId(o.t.orgId));
    try {
      const described = await handle.describe();
      expect(described.spec.timezone).toBe('America/New_York');
      expect(described.spec.calendars?.[0]).toMatchObject({ dayOfWeek: [{ start: 'MONDAY', end: 'MONDAY', step: 1 }], hour: [{ start: 0, end: 0, step: 1 }], minute: [{ start: 5, end: 5, step: 1 }] });
      await handle.trigger();
      const payout = await until('the scheduled payout', async () => {
        const [row] = await sql<{ period_start: Date; period_end: Date; total_minor: string; status: string }[]>`
          select period_start, period_end, total_minor::text, status from public.commission_payouts where organization_id = ${o.t.orgId}`;
        return row;
      });
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date());
      const expected = lastCompletePeriod('weekly', '2026-01-05', today);
      const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
      expect({ start: day(payout.period_start), end: day(payout.period_end) }).toEqual({ start: expected.periodStart, end: expected.periodEnd });
      expect(payout).toMatchObject({ total_minor: '432', status: 'draft' });
    } finally {
      await handle.delete();
    }
  });

  it('shows a discrepancy when an approved sale changes, and a manager decides the corrected commission again', async () => {
    const o = await org('comm-correct');
    const sale = await api(o, o.admin, 'POST', '/sales-transactions', { amountMinor: 50_000, currency: 'USD', teamMemberId: o.rep });
    const first = await pendingCalculation(o, sale.body.id);
    await awaitingApproval(sale.body.workflowId);
    expect((await api(o, o.admin, 'POST', `/commissions/${first.id}/approve`, {})).body.status).toBe('payable');

    const below = await api(o, o.admin, 'POST', `/sales-transactions/${sale.body.id}/correct`, { amountMinor: -1 });
    expect(below.status).toBe(422);
    const corrected = await api(o, o.admin, 'POST', `/sales-transactions/${sale.body.id}/correct`, { amountMinor: 60_000, reason: 'upsell added' });
    expect(corrected.body).toMatchObject({ amountMinor: 60_000, originalAmountMinor: 50_000 });
    const rows = await until('the correction', async () => {
      const all = await calculations(o.t.orgId, sale.body.id);
      return all.length === 2 ? all : undefined;
    });
    expect(rows.map((r) => [r.status, r.amount_minor])).toEqual([['superseded', '5000'], ['pending', '6000']]);
    const detail = await api(o, o.admin, 'GET', `/commissions/${rows[1]!.id}`);
    expect(detail.body.supersedes).toBe(first.id);
    expect(detail.body.trace[0]).toMatchObject({ rule: 'discrepancy' });
    expect(detail.body.trace[0].note).toMatch(/500\.00 USD to 600\.00 USD.*50\.00 USD \(payable\)/);
    await awaitingApproval(corrected.body.workflowId);
    expect((await api(o, o.admin, 'POST', `/commissions/${rows[1]!.id}/approve`, {})).body.status).toBe('payable');
    // Only the corrected commission is paid out.
    const run = await api(o, o.admin, 'POST', '/payouts/run', {});
    expect(run.body.payouts).toEqual([expect.objectContaining({ totalMinor: 6_000, itemCount: 1 })]);
  });
});
