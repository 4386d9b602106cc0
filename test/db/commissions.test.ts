import { randomUUID } from 'node:crypto';
import type { Sql } from '../../db/client';
import { type Tx, withClaims } from '../../db/tenant';
import { appSql, testSql } from '../helpers/db';
import { createTenant, type Tenant } from '../helpers/tenants';

/*
 * The commission ledger's schema, logged in as the app's role and acting with claims (as the
 * API and worker do): who sees which rows, and which changes the database refuses whoever asks.
 * Fixtures are written by the worker role where the worker would write them.
 */
const TABLES = [
  'commission_plans', 'commission_plan_versions', 'sales_transactions',
  'commission_calculations', 'commission_payouts', 'commission_payout_items',
] as const;

describe('commission schema', () => {
  let owner: Sql;
  let app: Sql;
  let a: Tenant;
  let b: Tenant;
  /** Team members of org A: the sales user's, the administrator's, and one nobody logs in as. */
  let repOfSales: string;
  let repOfAdmin: string;
  let otherRep: string;
  let period = 0;

  beforeAll(async () => {
    owner = testSql();
    app = appSql();
    a = await createTenant(owner, 'comm-a');
    b = await createTenant(owner, 'comm-b');
    otherRep = a.teamMemberId;
    const link = async (userId: string, name: string) => {
      const [row] = await owner<{ id: string }[]>`
        insert into public.team_members (organization_id, full_name, user_id) values (${a.orgId}, ${name}, ${userId}) returning id`;
      return row!.id;
    };
    repOfSales = await link(a.users.sales.userId, 'Sam Sales');
    repOfAdmin = await link(a.users.administrator.userId, 'Ada Admin');
  });
  afterAll(async () => {
    await app.end();
    await owner.end();
  });

  const asUser = <T>(userId: string, fn: (tx: Tx) => Promise<T>) => withClaims(app, { role: 'authenticated', sub: userId }, fn);
  const asWorker = <T>(orgId: string, fn: (tx: Tx) => Promise<T>) => withClaims(app, { role: 'worker', org_id: orgId }, fn);
  const refused = (code: string) => expect.objectContaining({ code });

  const newSale = (orgId: string, teamMemberId: string | null, amount = 10_000) =>
    asWorker(orgId, async (tx) => {
      const [row] = await tx<{ id: string }[]>`
        insert into public.sales_transactions (organization_id, source, external_id, team_member_id, amount_minor, currency, paid_at)
        values (${orgId}, 'ghl_invoice', ${randomUUID()}, ${teamMemberId}, ${amount}, 'USD', now()) returning id`;
      return row!.id;
    });
  const newCalc = (orgId: string, transactionId: string, teamMemberId: string, amount = 1_000) =>
    asWorker(orgId, async (tx) => {
      const [row] = await tx<{ id: string }[]>`
        insert into public.commission_calculations (organization_id, transaction_id, team_member_id, amount_minor, currency, trace)
        values (${orgId}, ${transactionId}, ${teamMemberId}, ${amount}, 'USD', ${tx.json({ rule: 'default rate', rateBps: 1000 })})
        returning id`;
      return row!.id;
    });
  const calcFor = async (teamMemberId: string, amount = 1_000) => newCalc(a.orgId, await newSale(a.orgId, teamMemberId, amount * 10), teamMemberId, amount);
  const setStatus = (orgId: string, id: string, status: string) =>
    asWorker(orgId, (tx) => tx`update public.commission_calculations set status = ${status} where id = ${id}`);
  const payableCalc = async (teamMemberId: string, amount = 1_000) => {
    const id = await calcFor(teamMemberId, amount);
    await setStatus(a.orgId, id, 'approved');
    await setStatus(a.orgId, id, 'payable');
    return id;
  };
  const newPayout = (orgId: string, teamMemberId: string) =>
    asWorker(orgId, async (tx) => {
      period += 1;
      const [row] = await tx<{ id: string }[]>`
        insert into public.commission_payouts (organization_id, team_member_id, period_start, period_end, currency)
        values (${orgId}, ${teamMemberId}, date '2026-01-01' + ${period}::int, date '2026-01-01' + ${period}::int, 'USD') returning id`;
      return row!.id;
    });
  const addLine = (tx: Tx, orgId: string, payoutId: string, teamMemberId: string, calculationId: string | null, amount: number) =>
    tx`insert into public.commission_payout_items (organization_id, payout_id, team_member_id, currency, calculation_id, description, amount_minor)
       values (${orgId}, ${payoutId}, ${teamMemberId}, 'USD', ${calculationId}, ${calculationId ? null : 'bonus'}, ${amount})`;
  const calcRow = async (id: string) => (await owner`select * from public.commission_calculations where id = ${id}`)[0]!;
  const payoutRow = async (id: string) => (await owner`select * from public.commission_payouts where id = ${id}`)[0]!;

  describe('row visibility', () => {
    let own: { sale: string; calc: string; payout: string };
    let others: { sale: string; calc: string; payout: string; unattributed: string };

    beforeAll(async () => {
      const ownCalc = await payableCalc(repOfSales);
      const otherCalc = await payableCalc(otherRep);
      const saleOf = async (calc: string) => (await calcRow(calc)).transaction_id as string;
      own = { sale: await saleOf(ownCalc), calc: ownCalc, payout: await newPayout(a.orgId, repOfSales) };
      others = { sale: await saleOf(otherCalc), calc: otherCalc, payout: await newPayout(a.orgId, otherRep), unattributed: await newSale(a.orgId, null) };
      await asWorker(a.orgId, async (tx) => {
        await addLine(tx, a.orgId, own.payout, repOfSales, ownCalc, 1_000);
        await addLine(tx, a.orgId, others.payout, otherRep, otherCalc, 1_000);
      });
    });

    const visible = (userId: string) =>
      asUser(userId, async (tx) => ({
        sales: (await tx`select id from public.sales_transactions where organization_id = ${a.orgId}`).map((r) => r.id as string),
        calcs: (await tx`select id from public.commission_calculations where organization_id = ${a.orgId}`).map((r) => r.id as string),
        payouts: (await tx`select id from public.commission_payouts where organization_id = ${a.orgId}`).map((r) => r.id as string),
        lines: (await tx`select payout_id from public.commission_payout_items where organization_id = ${a.orgId}`).map((r) => r.payout_id as string),
      }));

    it('shows a sales rep only the sales, commissions, payouts and lines of their own team member', async () => {
      const seen = await visible(a.users.sales.userId);
      expect(seen.sales).toEqual([own.sale]);
      expect(seen.calcs).toEqual([own.calc]);
      expect(seen.payouts).toEqual([own.payout]);
      expect(seen.lines).toEqual([own.payout]);
    });

    it('shows owners, administrators and viewers every row of the organization', async () => {
      for (const role of ['owner', 'administrator', 'viewer'] as const) {
        const seen = await visible(a.users[role].userId);
        expect({ role, ...seen }).toEqual(expect.objectContaining({
          role,
          sales: expect.arrayContaining([own.sale, others.sale, others.unattributed]),
          calcs: expect.arrayContaining([own.calc, others.calc]),
          payouts: expect.arrayContaining([own.payout, others.payout]),
          lines: expect.arrayContaining([own.payout, others.payout]),
        }));
      }
    });

    it('shows a bot trainer (no sales nor commission rights) nothing', async () => {
      expect(await visible(a.users.bot_trainer.userId)).toEqual({ sales: [], calcs: [], payouts: [], lines: [] });
    });

    it('shows a rep who may approve commissions every commission, so that they can decide them', async () => {
      await owner`update public.organization_members set custom_permissions = ${owner.json({ grant: ['commissions:approve'] })}
                  where id = ${a.users.sales.memberId}`;
      try {
        const seen = await visible(a.users.sales.userId);
        expect(seen.calcs).toEqual(expect.arrayContaining([own.calc, others.calc]));
        expect(seen.sales).toEqual([own.sale]); // sales:approve was not granted
      } finally {
        await owner`update public.organization_members set custom_permissions = '{}' where id = ${a.users.sales.memberId}`;
      }
    });

    it('shows another organization, its members and its worker nothing, even by id', async () => {
      for (const userId of [b.users.owner.userId, b.users.sales.userId]) {
        await asUser(userId, async (tx) => {
          for (const t of TABLES) {
            expect({ t, rows: (await tx`select 1 from ${tx('public.' + t)} where organization_id = ${a.orgId}`).length }).toEqual({ t, rows: 0 });
          }
          expect(await tx`select id from public.commission_calculations where id = ${own.calc}`).toHaveLength(0);
        });
      }
      await asWorker(b.orgId, async (tx) => {
        for (const t of TABLES) {
          expect({ t, rows: (await tx`select 1 from ${tx('public.' + t)} where organization_id = ${a.orgId}`).length }).toEqual({ t, rows: 0 });
        }
      });
    });

    it("refuses rows written into another organization, or pointing at its rows", async () => {
      const intruder = b.users.owner.userId;
      await expect(asUser(intruder, (tx) => tx`
        insert into public.sales_transactions (organization_id, source, external_id, amount_minor, currency, paid_at)
        values (${a.orgId}, 'manual', ${randomUUID()}, 100, 'USD', now())`)).rejects.toThrow(/row-level security/);
      await expect(asWorker(b.orgId, (tx) => tx`
        insert into public.commission_calculations (organization_id, transaction_id, team_member_id, amount_minor, currency)
        values (${a.orgId}, ${own.sale}, ${repOfSales}, 100, 'USD')`)).rejects.toThrow(/row-level security/);
      // From its own organization, naming A's sale, team member or calculation: the composite keys refuse.
      await expect(asUser(intruder, (tx) => tx`
        insert into public.commission_calculations (organization_id, transaction_id, team_member_id, kind, amount_minor, currency)
        values (${b.orgId}, ${own.sale}, ${b.teamMemberId}, 'commission', 100, 'USD')`)).rejects.toThrow(/foreign key/);
      await expect(asUser(intruder, (tx) => tx`
        insert into public.sales_transactions (organization_id, source, external_id, team_member_id, amount_minor, currency, paid_at)
        values (${b.orgId}, 'manual', ${randomUUID()}, ${repOfSales}, 100, 'USD', now())`)).rejects.toThrow(/foreign key/);
      const payoutOfB = await newPayout(b.orgId, b.teamMemberId);
      await expect(asUser(intruder, (tx) => addLine(tx, b.orgId, payoutOfB, b.teamMemberId, own.calc, 1_000)))
        .rejects.toThrow(/foreign key|not found/);
      await expect(asUser(intruder, (tx) => tx`
        update public.commission_calculations set status = 'approved' where id = ${own.calc}`)).resolves.toHaveProperty('count', 0);
      expect(await calcRow(own.calc)).toMatchObject({ status: 'payable' });
    });
  });

  describe('decisions', () => {
    it('records who approved, and when', async () => {
      const id = await calcFor(otherRep);
      const result = await asUser(a.users.owner.userId, (tx) =>
        tx`update public.commission_calculations set status = 'approved', comment = 'ok' where id = ${id}`);
      expect(result.count).toBe(1);
      const row = await calcRow(id);
      expect(row).toMatchObject({ status: 'approved', approver_user_id: a.users.owner.userId, comment: 'ok' });
      expect(row.decided_at).toBeInstanceOf(Date);
    });

    it('never lets the beneficiary approve or reject their own commission, nor a worker on their behalf', async () => {
      const id = await calcFor(repOfAdmin);
      for (const status of ['approved', 'rejected']) {
        await expect(asUser(a.users.administrator.userId, (tx) =>
          tx`update public.commission_calculations set status = ${status} where id = ${id}`)).rejects.toEqual(refused('FL403'));
      }
      await expect(asWorker(a.orgId, (tx) => tx`
        update public.commission_calculations set status = 'approved', approver_user_id = ${a.users.administrator.userId} where id = ${id}`))
        .rejects.toEqual(refused('FL403'));
      expect(await calcRow(id)).toMatchObject({ status: 'pending', approver_user_id: null, decided_at: null });
      // Someone else may.
      await asUser(a.users.owner.userId, (tx) => tx`update public.commission_calculations set status = 'approved' where id = ${id}`);
      expect(await calcRow(id)).toMatchObject({ status: 'approved', approver_user_id: a.users.owner.userId });
    });

    it('does not let a sales rep (commissions:read only) decide anything, their own row included', async () => {
      const id = await calcFor(repOfSales);
      const result = await asUser(a.users.sales.userId, (tx) => tx`update public.commission_calculations set status = 'approved' where id = ${id}`);
      expect(result.count).toBe(0);
      expect(await calcRow(id)).toMatchObject({ status: 'pending' });
    });

    it('moves a commission along the allowed transitions only', async () => {
      const id = await calcFor(otherRep);
      await expect(setStatus(a.orgId, id, 'held')).rejects.toThrow(/check constraint/); // a hold says why
      await asWorker(a.orgId, (tx) => tx`update public.commission_calculations set status = 'held', held_reason = 'currency differs from the plan' where id = ${id}`);
      await setStatus(a.orgId, id, 'pending');
      await expect(setStatus(a.orgId, id, 'paid')).rejects.toEqual(refused('FL409'));
      await asUser(a.users.owner.userId, (tx) => tx`update public.commission_calculations set status = 'approved' where id = ${id}`);
      await expect(setStatus(a.orgId, id, 'pending')).rejects.toEqual(refused('FL409'));
      await setStatus(a.orgId, id, 'payable');
      await setStatus(a.orgId, id, 'paid');
      await setStatus(a.orgId, id, 'clawed_back');
      await expect(setStatus(a.orgId, id, 'payable')).rejects.toEqual(refused('FL409'));
      expect(await calcRow(id)).toMatchObject({ status: 'clawed_back' });

      const rejected = await calcFor(otherRep);
      await asUser(a.users.owner.userId, (tx) => tx`update public.commission_calculations set status = 'rejected' where id = ${rejected}`);
      await expect(asUser(a.users.owner.userId, (tx) => tx`update public.commission_calculations set status = 'approved' where id = ${rejected}`))
        .rejects.toEqual(refused('FL409'));
      // A calculation starts undecided, whoever writes it.
      const sale = (await calcRow(rejected)).transaction_id as string;
      await expect(asWorker(a.orgId, (tx) => tx`
        insert into public.commission_calculations (organization_id, transaction_id, team_member_id, amount_minor, currency, status)
        values (${a.orgId}, ${sale}, ${repOfSales}, 5, 'USD', 'approved')`)).rejects.toEqual(refused('FL409'));
    });
  });

  describe('the ledger', () => {
    it('never edits nor deletes a calculation: amount, currency, sale and team member are fixed', async () => {
      const id = await calcFor(otherRep);
      const tx2 = await newSale(a.orgId, otherRep);
      const edits = [
        (tx: Tx) => tx`update public.commission_calculations set amount_minor = 999999 where id = ${id}`,
        (tx: Tx) => tx`update public.commission_calculations set currency = 'EUR' where id = ${id}`,
        (tx: Tx) => tx`update public.commission_calculations set transaction_id = ${tx2} where id = ${id}`,
        (tx: Tx) => tx`update public.commission_calculations set team_member_id = ${repOfSales} where id = ${id}`,
        (tx: Tx) => tx`update public.commission_calculations set comment = 'quietly' where id = ${id}`,
      ];
      for (const edit of edits) {
        await expect(asUser(a.users.owner.userId, edit)).rejects.toEqual(refused('FL409'));
        await expect(asWorker(a.orgId, edit)).rejects.toEqual(refused('FL409'));
        await expect(edit(owner as unknown as Tx)).rejects.toEqual(refused('FL409')); // the table owner too
      }
      await expect(asUser(a.users.owner.userId, (tx) => tx`delete from public.commission_calculations where id = ${id}`)).rejects.toThrow(/permission denied/);
      await expect(owner`delete from public.commission_calculations where id = ${id}`).rejects.toEqual(refused('FL409'));
      expect(await calcRow(id)).toMatchObject({ amount_minor: '1000', currency: 'USD', team_member_id: otherRep, status: 'pending' });
    });

    it('records a correction as a new row, once, and lets only clawbacks be negative', async () => {
      const id = await calcFor(otherRep);
      const { transaction_id: sale } = await calcRow(id);
      const correct = (tx: Tx) => tx`
        insert into public.commission_calculations (organization_id, transaction_id, team_member_id, amount_minor, currency, supersedes)
        values (${a.orgId}, ${sale as string}, ${otherRep}, 1200, 'USD', ${id})`;
      await asWorker(a.orgId, correct);
      await expect(asWorker(a.orgId, correct)).rejects.toThrow(/duplicate key/);
      // A second original commission for the same sale and person: a duplicate delivery.
      await expect(newCalc(a.orgId, sale as string, otherRep)).rejects.toThrow(/duplicate key/);
      await expect(newCalc(a.orgId, sale as string, repOfSales, -1)).rejects.toThrow(/check constraint/);
      await asWorker(a.orgId, (tx) => tx`
        insert into public.commission_calculations (organization_id, transaction_id, team_member_id, kind, amount_minor, currency, clawback_of)
        values (${a.orgId}, ${sale as string}, ${otherRep}, 'clawback', -1000, 'USD', ${id})`);
    });

    it('keeps a plan version that a calculation used unchanged', async () => {
      const versionId = await asUser(a.users.owner.userId, async (tx) => {
        const [plan] = await tx<{ id: string }[]>`insert into public.commission_plans (organization_id, name) values (${a.orgId}, 'Standard') returning id`;
        const [version] = await tx<{ id: string }[]>`
          insert into public.commission_plan_versions (organization_id, plan_id, effective_from, currency, rules)
          values (${a.orgId}, ${plan!.id}, now(), 'USD', ${tx.json({ percentageBps: 1000 })}) returning id`;
        return version!.id;
      });
      await asUser(a.users.owner.userId, (tx) => tx`update public.commission_plan_versions set rules = ${tx.json({ percentageBps: 1200 })} where id = ${versionId}`);
      const sale = await newSale(a.orgId, otherRep);
      await asWorker(a.orgId, (tx) => tx`
        insert into public.commission_calculations (organization_id, transaction_id, team_member_id, plan_version_id, amount_minor, currency)
        values (${a.orgId}, ${sale}, ${otherRep}, ${versionId}, 1200, 'USD')`);
      await expect(asUser(a.users.owner.userId, (tx) => tx`
        update public.commission_plan_versions set rules = ${tx.json({ percentageBps: 5000 })} where id = ${versionId}`)).rejects.toEqual(refused('FL409'));
      await expect(asUser(a.users.owner.userId, (tx) => tx`delete from public.commission_plan_versions where id = ${versionId}`)).rejects.toEqual(refused('FL409'));
    });
  });

  describe('payouts', () => {
    it('pays a payable calculation once, at its exact amount, into a draft', async () => {
      const pending = await calcFor(otherRep);
      const payable = await payableCalc(otherRep);
      const payout = await newPayout(a.orgId, otherRep);
      const other = await newPayout(a.orgId, otherRep);
      const admin = a.users.administrator.userId;
      await expect(asUser(admin, (tx) => addLine(tx, a.orgId, payout, otherRep, pending, 1_000))).rejects.toEqual(refused('FL409'));
      await expect(asUser(admin, (tx) => addLine(tx, a.orgId, payout, otherRep, payable, 999))).rejects.toEqual(refused('FL409'));
      await expect(asUser(admin, (tx) => addLine(tx, a.orgId, payout, repOfSales, payable, 1_000))).rejects.toThrow(/foreign key/);
      await asUser(admin, (tx) => addLine(tx, a.orgId, payout, otherRep, payable, 1_000));
      await expect(asUser(admin, (tx) => addLine(tx, a.orgId, other, otherRep, payable, 1_000))).rejects.toThrow(/duplicate key/);
    });

    it('locks a payout whose total is the sum of its lines, then only lets it be marked paid, once', async () => {
      const calc = await payableCalc(otherRep, 2_500);
      const payout = await newPayout(a.orgId, otherRep);
      const admin = a.users.administrator.userId;
      await asWorker(a.orgId, async (tx) => {
        await addLine(tx, a.orgId, payout, otherRep, calc, 2_500);
        await addLine(tx, a.orgId, payout, otherRep, null, 500);
      });
      await expect(asUser(admin, (tx) => tx`update public.commission_payouts set status = 'paid' where id = ${payout}`)).rejects.toEqual(refused('FL409'));
      await expect(asUser(admin, (tx) => tx`update public.commission_payouts set status = 'locked', total_minor = 2500 where id = ${payout}`))
        .rejects.toEqual(refused('FL409'));
      await asUser(admin, (tx) => tx`update public.commission_payouts set status = 'locked', total_minor = 3000 where id = ${payout}`);
      expect(await payoutRow(payout)).toMatchObject({ status: 'locked', total_minor: '3000', locked_by: admin });

      const changes = [
        (tx: Tx) => tx`update public.commission_payouts set total_minor = 1 where id = ${payout}`,
        (tx: Tx) => tx`update public.commission_payouts set status = 'draft' where id = ${payout}`,
        (tx: Tx) => tx`update public.commission_payouts set status = 'paid', total_minor = 1 where id = ${payout}`,
        (tx: Tx) => addLine(tx, a.orgId, payout, otherRep, null, 100),
      ];
      for (const change of changes) {
        await expect(asUser(admin, change)).rejects.toEqual(refused('FL409'));
        await expect(asWorker(a.orgId, change)).rejects.toEqual(refused('FL409'));
      }
      await expect(asUser(admin, (tx) => tx`delete from public.commission_payouts where id = ${payout}`)).rejects.toEqual(refused('FL409'));
      await expect(asUser(admin, (tx) => tx`update public.commission_payout_items set amount_minor = 1 where payout_id = ${payout}`)).rejects.toThrow(/permission denied/);
      await expect(asUser(admin, (tx) => tx`delete from public.commission_payout_items where payout_id = ${payout}`)).rejects.toThrow(/permission denied/);
      await expect(owner`update public.commission_payout_items set amount_minor = 1 where payout_id = ${payout}`).rejects.toEqual(refused('FL409'));
      await expect(owner`delete from public.commission_payout_items where payout_id = ${payout}`).rejects.toEqual(refused('FL409'));

      await asUser(admin, (tx) => tx`update public.commission_payouts set status = 'paid' where id = ${payout}`);
      const paid = await payoutRow(payout);
      expect(paid).toMatchObject({ status: 'paid', total_minor: '3000', paid_by: admin });
      expect(paid.paid_at).toBeInstanceOf(Date);
      await expect(asUser(admin, (tx) => tx`update public.commission_payouts set paid_by = null where id = ${payout}`)).rejects.toEqual(refused('FL409'));
      const [lines] = await owner`select count(*)::int as n, sum(amount_minor)::int as total from public.commission_payout_items where payout_id = ${payout}`;
      expect(lines).toEqual({ n: 2, total: 3000 });
    });

    it('deletes a draft with its lines, which frees their calculations for another payout', async () => {
      const calc = await payableCalc(otherRep);
      const draft = await newPayout(a.orgId, otherRep);
      await asWorker(a.orgId, (tx) => addLine(tx, a.orgId, draft, otherRep, calc, 1_000));
      await asUser(a.users.owner.userId, (tx) => tx`delete from public.commission_payouts where id = ${draft}`);
      expect(await owner`select 1 from public.commission_payout_items where payout_id = ${draft}`).toHaveLength(0);
      const next = await newPayout(a.orgId, otherRep);
      await asWorker(a.orgId, (tx) => addLine(tx, a.orgId, next, otherRep, calc, 1_000));
    });
  });

  it('goes away with its organization, ledger included', async () => {
    const c = await createTenant(owner, 'comm-c');
    const sale = await newSale(c.orgId, c.teamMemberId);
    const calc = await newCalc(c.orgId, sale, c.teamMemberId);
    await setStatus(c.orgId, calc, 'approved');
    await setStatus(c.orgId, calc, 'payable');
    const payout = await newPayout(c.orgId, c.teamMemberId);
    await asWorker(c.orgId, async (tx) => {
      await addLine(tx, c.orgId, payout, c.teamMemberId, calc, 1_000);
      await tx`update public.commission_payouts set status = 'locked', total_minor = 1000 where id = ${payout}`;
    });
    await owner`delete from public.organizations where id = ${c.orgId}`;
    for (const t of TABLES) {
      expect({ t, rows: (await owner`select 1 from ${owner('public.' + t)} where organization_id = ${c.orgId}`).length }).toEqual({ t, rows: 0 });
    }
  });
});
