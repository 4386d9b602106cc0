import { randomUUID } from 'node:crypto';
import type { Sql } from '../../db/client';
import { withClaims } from '../../db/tenant';
import { call, tokenFor } from '../helpers/api';
import { startApp, type RunningApp } from '../helpers/app';
import { appSql, testSql } from '../helpers/db';
import { createContact } from '../helpers/integrations';
import { stackEnv } from '../helpers/stack-env';
import { createTenant, type Tenant } from '../helpers/tenants';
import { ledger, salesRep, workerWriter } from './ledger';

/** RFC 4180, as a spreadsheet reads it back: quoted cells may hold commas, quotes and newlines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      cell += '"';
      i += 1;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && ch === ',') {
      endCell();
    } else if (!quoted && ch === '\r' && text[i + 1] === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i += 1;
    } else {
      cell += ch;
    }
  }
  if (cell || row.length) {
    endCell();
    rows.push(row);
  }
  return rows;
}

/** "-2.50" -> -250, without floats. */
const minor = (decimal: string) => {
  const match = /^(-?)(\d+)\.(\d{2})$/.exec(decimal);
  if (!match) throw new Error(`not a plain decimal amount: ${decimal}`);
  return (match[1] ? -1 : 1) * (Number(match[2]) * 100 + Number(match[3]));
};

// The read side of the commission ledger over HTTP on the real stack. Rows are written by the
// worker role, as the commission workflow writes them; the API reads them as each caller, so RLS
// narrows a sales rep to their own rows and hides other organizations from everyone.
describe('commission reads API', () => {
  let sql: Sql;
  let workerSql: Sql;
  let app: RunningApp;
  let t: Tenant;
  let other: Tenant;
  let rep: string;
  let colleague: string;
  const ids = {} as Record<'ownA' | 'ownB' | 'ownC' | 'theirs' | 'unattributed', { transactionId: string; id: string }> & {
    clawback: string;
    refund: string;
    ownPayout: { id: string; periodEnd: string };
    theirPayout: { id: string; periodEnd: string };
    otherOrgSale: { transactionId: string; id: string };
    otherOrgPayout: { id: string; periodEnd: string };
  };

  beforeAll(async () => {
    sql = testSql();
    workerSql = appSql();
    app = await startApp({ taskQueue: `commission-reads-${randomUUID()}` });
    t = await createTenant(sql, 'cr');
    other = await createTenant(sql, 'cr-other');
    rep = await salesRep(sql, t, 'Sam Sales');
    colleague = t.teamMemberId;
    const contactId = await createContact(sql, t.orgId, 'Grace Hopper');
    const l = ledger(workerWriter(workerSql));
    const org = t.orgId;

    ids.ownA = await l.commission(org, rep, 1_500, [], { paidAt: '2026-03-10T12:00:00Z', externalId: '+1-555-EVIL', contactId });
    // Approved by the owner (as a person: the decision names them), then made payable by the worker.
    await withClaims(workerSql, { role: 'authenticated', sub: t.users.owner.userId }, (tx) =>
      tx`update public.commission_calculations set status = 'approved', comment = 'well done' where id = ${ids.ownA.id}`);
    await l.advance(org, ids.ownA.id, ['payable']);
    ids.ownB = await l.commission(org, rep, 2_000, [], { paidAt: '2026-03-20T12:00:00Z' });
    ids.ownC = await l.commission(org, rep, 700, [], { paidAt: '2026-03-05T12:00:00Z', currency: 'EUR' });
    ids.theirs = await l.commission(org, colleague, 3_000, ['approved', 'payable'], { paidAt: '2026-03-15T12:00:00Z' });
    ids.unattributed = { transactionId: await l.sale(org, { teamMemberId: null, paidAt: '2026-03-25T12:00:00Z' }), id: '' };
    const refund = await l.refund(org, { transactionId: ids.ownA.transactionId, calculationId: ids.ownA.id, teamMemberId: rep, amountMinor: 5_000, clawbackMinor: 500 });
    ids.clawback = refund.clawbackId;
    ids.refund = refund.refundId;
    await l.notify(org, ids.ownB.id, 'reminder');

    ids.ownPayout = await l.payout(org, rep, [
      { calculationId: ids.ownA.id, amountMinor: 1_500 },
      { amountMinor: -250, description: '@SUM(A1:A9) fee, "quoted", with a comma' },
      { amountMinor: 1_234, description: '=HYPERLINK("http://evil.example","click")' },
    ]);
    ids.theirPayout = await l.payout(org, colleague, [{ calculationId: ids.theirs.id, amountMinor: 3_000 }]);
    await l.advance(org, ids.theirs.id, ['paid']);

    const lo = ledger(workerWriter(workerSql));
    ids.otherOrgSale = await lo.commission(other.orgId, other.teamMemberId, 900, ['approved', 'payable']);
    ids.otherOrgPayout = await lo.payout(other.orgId, other.teamMemberId, [{ calculationId: ids.otherOrgSale.id, amountMinor: 900 }]);
  });
  afterAll(async () => {
    await app?.close();
    await workerSql?.end();
    await sql?.end();
  });

  const as = async (tenant: Tenant, role: keyof Tenant['users'], path: string, orgId = tenant.orgId) =>
    call(app.url, 'GET', `/api/v1/orgs/${orgId}${path}`, { token: await tokenFor(app.auth, tenant.users[role].userId) });
  const idsOf = (res: { body: { items: { id: string }[] } }) => res.body.items.map((i) => i.id);
  /** Every page of a list, following nextCursor. */
  const all = async (role: keyof Tenant['users'], path: string, limit: number) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const res = await as(t, role, `${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      seen.push(...idsOf(res));
      cursor = res.body.nextCursor;
    } while (cursor);
    return seen;
  };

  describe('sales transactions', () => {
    it('shows a sales rep only their own sales, and answers 404 for a colleague\'s', async () => {
      const mine = await as(t, 'sales', '/sales-transactions');
      expect(mine.status).toBe(200);
      expect(idsOf(mine)).toEqual([ids.ownB.transactionId, ids.ownA.transactionId, ids.ownC.transactionId]);
      expect((await as(t, 'sales', `/sales-transactions/${ids.theirs.transactionId}`)).status).toBe(404);
      expect((await as(t, 'sales', `/sales-transactions/${ids.unattributed.transactionId}`)).status).toBe(404);

      const everyone = await as(t, 'viewer', '/sales-transactions');
      expect(idsOf(everyone)).toEqual([ids.unattributed, ids.ownB, ids.theirs, ids.ownA, ids.ownC].map((s) => s.transactionId));
      expect((await as(t, 'viewer', `/sales-transactions/${ids.theirs.transactionId}`)).status).toBe(200);
      expect((await as(t, 'bot_trainer', '/sales-transactions')).status).toBe(403);
    });

    it('shows a sale with its contact, rep, Temporal link, commissions (oldest first) and refunds', async () => {
      const res = await as(t, 'sales', `/sales-transactions/${ids.ownA.transactionId}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: ids.ownA.transactionId,
        source: 'ghl_invoice',
        externalId: '+1-555-EVIL',
        contactName: 'Grace Hopper',
        teamMemberId: rep,
        teamMemberName: 'Sam Sales',
        amountMinor: 15_000,
        currency: 'USD',
        paidAt: '2026-03-10T12:00:00.000Z',
        status: 'partially_refunded',
        refundedMinor: 5_000,
        splits: null,
        originalAmountMinor: null,
      });
      expect(res.body.temporalUiUrl).toBe(`http://localhost:8233/namespaces/${stackEnv.namespace}/workflows/${encodeURIComponent(res.body.workflowId)}`);
      expect(res.body.calculations.map((c: { id: string; kind: string; amountMinor: number }) => [c.id, c.kind, c.amountMinor])).toEqual([
        [ids.ownA.id, 'commission', 1_500],
        [ids.clawback, 'clawback', -500],
      ]);
      expect(res.body.refunds).toEqual([{ id: ids.refund, externalId: expect.any(String), amountMinor: 5_000, reason: 'customer changed their mind', createdAt: expect.any(String) }]);
    });

    it('filters by status, team member, unattributed and paid days (UTC, inclusive), and pages with a cursor', async () => {
      const list = async (query: string) => idsOf(await as(t, 'administrator', `/sales-transactions?${query}`));
      expect(await list('unattributed=true')).toEqual([ids.unattributed.transactionId]);
      expect(await list('status=partially_refunded')).toEqual([ids.ownA.transactionId]);
      expect(await list(`teamMemberId=${colleague}`)).toEqual([ids.theirs.transactionId]);
      expect(await list('from=2026-03-10&to=2026-03-15')).toEqual([ids.theirs.transactionId, ids.ownA.transactionId]);
      const everything = await list('');
      expect(await all('administrator', '/sales-transactions', 2)).toEqual(everything);
      const bad = await as(t, 'administrator', '/sales-transactions?from=03/10/2026&status=lost');
      expect(bad.status).toBe(422);
      expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['query.from', 'query.status']);
    });
  });

  describe('commissions', () => {
    it('shows a sales rep only their own commissions, and answers 404 for a colleague\'s', async () => {
      const mine = await as(t, 'sales', '/commissions');
      expect(new Set(idsOf(mine))).toEqual(new Set([ids.ownA.id, ids.ownB.id, ids.ownC.id, ids.clawback]));
      expect((await as(t, 'sales', `/commissions/${ids.theirs.id}`)).status).toBe(404);
      expect((await as(t, 'sales', `/commissions/${ids.ownA.id}`)).status).toBe(200);
      expect(new Set(idsOf(await as(t, 'viewer', '/commissions')))).toEqual(new Set([ids.ownA.id, ids.ownB.id, ids.ownC.id, ids.clawback, ids.theirs.id]));
    });

    it('shows a commission with its decision, approver, plan-less trace, sale and reminders', async () => {
      const a = await as(t, 'viewer', `/commissions/${ids.ownA.id}`);
      expect(a.body).toMatchObject({
        id: ids.ownA.id,
        transactionId: ids.ownA.transactionId,
        teamMemberId: rep,
        teamMemberName: 'Sam Sales',
        planVersionId: null,
        planName: null,
        kind: 'commission',
        amountMinor: 1_500,
        currency: 'USD',
        status: 'payable',
        approverUserId: t.users.owner.userId,
        approverEmail: expect.stringMatching(/^cr-owner-.*@example\.test$/),
        comment: 'well done',
        trace: [{ rule: 'base', rateBps: 1000, amountMinor: 1_500, note: '10% of the sale' }],
        sale: { amountMinor: 15_000, currency: 'USD', paidAt: '2026-03-10T12:00:00.000Z', source: 'ghl_invoice', externalId: '+1-555-EVIL', status: 'partially_refunded', refundedMinor: 5_000 },
        notifications: [],
      });
      expect(a.body.decidedAt).toEqual(expect.any(String));
      expect((await as(t, 'viewer', `/commissions/${ids.clawback}`)).body).toMatchObject({ kind: 'clawback', amountMinor: -500, clawbackOf: ids.ownA.id });
      // Reminders are for the approvers: a manager sees them, the rep does not.
      expect((await as(t, 'administrator', `/commissions/${ids.ownB.id}`)).body.notifications).toEqual([{ kind: 'reminder', createdAt: expect.stringMatching(/Z$/) }]);
      expect((await as(t, 'sales', `/commissions/${ids.ownB.id}`)).body.notifications).toEqual([]);
    });

    it('filters by a comma-separated status list, kind, team member and sale, and pages with a cursor', async () => {
      const list = async (query: string) => new Set(idsOf(await as(t, 'administrator', `/commissions?${query}`)));
      expect(await list('status=pending,held')).toEqual(new Set([ids.ownB.id, ids.ownC.id, ids.clawback]));
      expect(await list('status=payable, paid')).toEqual(new Set([ids.ownA.id, ids.theirs.id]));
      expect(await list('kind=clawback')).toEqual(new Set([ids.clawback]));
      expect(await list(`teamMemberId=${colleague}`)).toEqual(new Set([ids.theirs.id]));
      expect(await list(`transactionId=${ids.ownA.transactionId}`)).toEqual(new Set([ids.ownA.id, ids.clawback]));
      const today = new Date().toISOString().slice(0, 10);
      expect((await list(`from=${today}&to=${today}`)).size).toBe(5);
      expect((await list('to=2020-01-01')).size).toBe(0);
      const everything = idsOf(await as(t, 'administrator', '/commissions'));
      expect(await all('administrator', '/commissions', 2)).toEqual(everything);
      const bad = await as(t, 'administrator', '/commissions?status=pending,nope');
      expect(bad.status).toBe(422);
      expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['query.status.1']);
    });

    it('sums the last months per status bucket, in the most used currency unless one is asked for', async () => {
      const month = new Date().toISOString().slice(0, 7);
      const mine = await as(t, 'sales', '/commissions/summary?months=3');
      expect(mine.status).toBe(200);
      expect(mine.body.currency).toBe('USD');
      expect(mine.body.periods).toHaveLength(3);
      expect(mine.body.periods[2]).toEqual({ period: month, pendingMinor: 2_000, approvedMinor: 1_500, paidMinor: 0, clawedBackMinor: -500 });
      expect(mine.body.periods.slice(0, 2).every((p: { pendingMinor: number; approvedMinor: number }) => p.pendingMinor === 0 && p.approvedMinor === 0)).toBe(true);
      expect(mine.body.periods[0].period < mine.body.periods[1].period).toBe(true);

      const euros = await as(t, 'sales', '/commissions/summary?currency=EUR&months=1');
      expect(euros.body).toEqual({ currency: 'EUR', periods: [{ period: month, pendingMinor: 700, approvedMinor: 0, paidMinor: 0, clawedBackMinor: 0 }] });

      const everyone = await as(t, 'administrator', '/commissions/summary');
      expect(everyone.body.periods).toHaveLength(12);
      expect(everyone.body.periods[11]).toEqual({ period: month, pendingMinor: 2_000, approvedMinor: 1_500, paidMinor: 3_000, clawedBackMinor: -500 });
      const theirs = await as(t, 'administrator', `/commissions/summary?teamMemberId=${colleague}&months=1`);
      expect(theirs.body).toEqual({ currency: 'USD', periods: [{ period: month, pendingMinor: 0, approvedMinor: 0, paidMinor: 3_000, clawedBackMinor: 0 }] });
      // A rep naming a colleague gets their own nothing, not the colleague's money.
      const peek = await as(t, 'sales', `/commissions/summary?teamMemberId=${colleague}&months=1`);
      expect(peek.body).toEqual({ currency: null, periods: [{ period: month, pendingMinor: 0, approvedMinor: 0, paidMinor: 0, clawedBackMinor: 0 }] });
    });
  });

  describe('payouts', () => {
    it('shows a sales rep (commissions:read, no payouts:read) only their own payouts, and 404 for a colleague\'s', async () => {
      const mine = await as(t, 'sales', '/payouts');
      expect(mine.status).toBe(200);
      expect(idsOf(mine)).toEqual([ids.ownPayout.id]);
      expect((await as(t, 'sales', `/payouts/${ids.theirPayout.id}`)).status).toBe(404);
      expect((await as(t, 'sales', `/payouts/${ids.theirPayout.id}/statement.csv`)).status).toBe(404);
      expect(new Set(idsOf(await as(t, 'viewer', '/payouts')))).toEqual(new Set([ids.ownPayout.id, ids.theirPayout.id]));
      expect(idsOf(await as(t, 'viewer', `/payouts?teamMemberId=${colleague}&status=draft`))).toEqual([ids.theirPayout.id]);
      expect(idsOf(await as(t, 'viewer', '/payouts?status=paid'))).toEqual([]);
      expect((await as(t, 'bot_trainer', '/payouts')).status).toBe(403);
    });

    it('shows a payout with its lines', async () => {
      const res = await as(t, 'sales', `/payouts/${ids.ownPayout.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: ids.ownPayout.id,
        teamMemberId: rep,
        teamMemberName: 'Sam Sales',
        periodEnd: ids.ownPayout.periodEnd,
        currency: 'USD',
        totalMinor: 2_484,
        status: 'draft',
        lockedAt: null,
        itemCount: 3,
      });
      expect(res.body.periodStart).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const line = res.body.items.find((i: { calculationId: string | null }) => i.calculationId === ids.ownA.id);
      expect(line).toMatchObject({ kind: 'commission', amountMinor: 1_500, transactionId: ids.ownA.transactionId, saleExternalId: '+1-555-EVIL', saleAmountMinor: 15_000, paidAt: '2026-03-10T12:00:00.000Z' });
      expect(res.body.items.filter((i: { kind: string | null }) => i.kind === null)).toHaveLength(2);
    });

    it('exports a statement as CSV that adds up, with formulas neutralised and amounts as plain decimals', async () => {
      const res = await as(t, 'sales', `/payouts/${ids.ownPayout.id}/statement.csv`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="statement-sam-sales-${ids.ownPayout.periodEnd}.csv"`);
      const rows = parseCsv(res.body as string);
      expect(rows[0]).toEqual(['date', 'sale', 'kind', 'description', 'amount', 'currency']);
      const lines = rows.slice(1, -1);
      const total = rows[rows.length - 1]!;
      expect(lines).toHaveLength(3);
      expect(total.slice(0, 3)).toEqual(['', '', 'total']);
      const sum = lines.reduce((s, r) => s + minor(r[4]!), 0);
      expect(minor(total[4]!)).toBe(sum);
      expect(sum).toBe(2_484);
      expect(lines.every((r) => r[5] === 'USD' && r.length === 6)).toBe(true);

      const byAmount = Object.fromEntries(lines.map((r) => [r[4], r]));
      expect(byAmount['15.00']).toEqual(['2026-03-10', "'+1-555-EVIL", 'commission', 'Commission', '15.00', 'USD']);
      expect(byAmount['-2.50']!.slice(2)).toEqual(['adjustment', `'@SUM(A1:A9) fee, "quoted", with a comma`, '-2.50', 'USD']);
      expect(byAmount['12.34']![3]).toBe(`'=HYPERLINK("http://evil.example","click")`);
      // No cell a spreadsheet would evaluate, except the amounts, which are numbers.
      for (const r of rows) for (const cell of [...r.slice(0, 4), r[5]!]) expect(cell).not.toMatch(/^[=+\-@]/);
    });
  });

  it("answers 404 for another organization's sales, commissions and payouts, whichever organization is in the path", async () => {
    const paths = [
      `/sales-transactions/${ids.ownA.transactionId}`,
      `/commissions/${ids.ownA.id}`,
      `/payouts/${ids.ownPayout.id}`,
      `/payouts/${ids.ownPayout.id}/statement.csv`,
    ];
    for (const role of ['owner', 'viewer', 'sales'] as const) {
      for (const path of paths) {
        for (const orgId of [t.orgId, other.orgId]) {
          const res = await as(other, role, path, orgId);
          expect({ role, path, orgId, status: res.status }).toEqual({ role, path, orgId, status: 404 });
        }
      }
      expect((await as(other, role, '/sales-transactions', t.orgId)).status).toBe(404);
    }
    // Their own lists show only their own rows.
    expect(idsOf(await as(other, 'owner', '/sales-transactions'))).toEqual([ids.otherOrgSale.transactionId]);
    expect(idsOf(await as(other, 'owner', '/payouts'))).toEqual([ids.otherOrgPayout.id]);
    expect((await as(t, 'owner', `/payouts/${ids.otherOrgPayout.id}`)).status).toBe(404);
  });
});
