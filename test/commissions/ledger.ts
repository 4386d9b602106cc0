import { randomInt, randomUUID } from 'node:crypto';
import type { Sql } from '../../db/client';
import { type Tx, withClaims } from '../../db/tenant';
import type { Tenant } from '../helpers/tenants';

/*
 * Ledger fixtures for the commissions API tests: sales, calculations, payouts and their lines,
 * written by whoever `write` acts as. The API suites write as the worker role (as the commission
 * workflow will: RLS and the ledger triggers apply); the route-table walk, which only holds the
 * owner connection, writes as the owner (the triggers still apply).
 */
export type Writer = <T>(orgId: string, fn: (tx: Tx) => Promise<T>) => Promise<T>;

/** Acts as the worker for the organization (needs the app role's pool: appSql()). */
export const workerWriter =
  (app: Sql): Writer =>
  (orgId, fn) =>
    withClaims(app, { role: 'worker', org_id: orgId }, fn);

/** Acts as the migration owner (RLS bypassed; the ledger triggers still run). */
export const ownerWriter =
  (owner: Sql): Writer =>
  (_orgId, fn) =>
    owner.begin((tx) => fn(tx)) as never;

export interface SaleInput {
  teamMemberId: string | null;
  amountMinor?: number;
  currency?: string;
  paidAt?: string;
  externalId?: string;
  contactId?: string | null;
}

export function ledger(write: Writer) {
  const sale = (orgId: string, input: SaleInput) =>
    write(orgId, async (tx) => {
      const [row] = await tx<{ id: string }[]>`
        insert into public.sales_transactions (organization_id, source, external_id, team_member_id, amount_minor, currency, paid_at, contact_id, workflow_id)
        values (${orgId}, 'ghl_invoice', ${input.externalId ?? `inv-${randomUUID()}`}, ${input.teamMemberId}, ${input.amountMinor ?? 10_000},
                ${input.currency ?? 'USD'}, ${input.paidAt ?? new Date().toISOString()}, ${input.contactId ?? null}, ${`commission:${orgId}:${randomUUID()}`})
        returning id`;
      return row!.id;
    });
  const calculation = (
    orgId: string,
    input: {
      transactionId: string;
      teamMemberId: string;
      amountMinor?: number;
      currency?: string;
      kind?: 'commission' | 'clawback';
      clawbackOf?: string;
      refundId?: string;
      planVersionId?: string;
    },
  ) =>
    write(orgId, async (tx) => {
      const [row] = await tx<{ id: string }[]>`
        insert into public.commission_calculations
          (organization_id, transaction_id, team_member_id, kind, amount_minor, currency, trace, clawback_of, refund_id, plan_version_id)
        values (${orgId}, ${input.transactionId}, ${input.teamMemberId}, ${input.kind ?? 'commission'}, ${input.amountMinor ?? 1_000}, ${input.currency ?? 'USD'},
                ${tx.json([{ rule: 'base', rateBps: 1000, amountMinor: input.amountMinor ?? 1_000, note: '10% of the sale' }])},
                ${input.clawbackOf ?? null}, ${input.refundId ?? null}, ${input.planVersionId ?? null})
        returning id`;
      return row!.id;
    });
  /** A refund of part of a sale, the sale's refunded amount moved with it, and the clawback of one calculation. */
  const refund = (orgId: string, input: { transactionId: string; calculationId: string; teamMemberId: string; amountMinor: number; clawbackMinor: number; currency?: string }) =>
    write(orgId, async (tx) => {
      const [r] = await tx<{ id: string }[]>`
        insert into public.sales_refunds (organization_id, transaction_id, external_id, amount_minor, reason)
        values (${orgId}, ${input.transactionId}, ${`re-${randomUUID()}`}, ${input.amountMinor}, 'customer changed their mind') returning id`;
      await tx`update public.sales_transactions
               set refunded_minor = refunded_minor + ${input.amountMinor},
                   status = case when refunded_minor + ${input.amountMinor} = amount_minor then 'refunded' else 'partially_refunded' end
               where id = ${input.transactionId}`;
      const [c] = await tx<{ id: string }[]>`
        insert into public.commission_calculations (organization_id, transaction_id, team_member_id, kind, amount_minor, currency, clawback_of, refund_id)
        values (${orgId}, ${input.transactionId}, ${input.teamMemberId}, 'clawback', ${-input.clawbackMinor}, ${input.currency ?? 'USD'},
                ${input.calculationId}, ${r!.id})
        returning id`;
      return { refundId: r!.id, clawbackId: c!.id };
    });
  const notify = (orgId: string, calculationId: string, kind: 'reminder' | 'escalation') =>
    write(orgId, (tx) => tx`insert into public.commission_notifications (organization_id, calculation_id, kind) values (${orgId}, ${calculationId}, ${kind})`);
  /** Moves a calculation along the allowed transitions (e.g. ['approved', 'payable', 'paid']). */
  const advance = (orgId: string, id: string, statuses: string[]) =>
    write(orgId, async (tx) => {
      for (const status of statuses) await tx`update public.commission_calculations set status = ${status} where id = ${id}`;
    });
  /** A sale and its commission, moved to `statuses`; returns both ids. */
  const commission = async (orgId: string, teamMemberId: string, amountMinor: number, statuses: string[] = [], sale_: Partial<SaleInput> = {}) => {
    const transactionId = await sale(orgId, { teamMemberId, amountMinor: amountMinor * 10, ...sale_ });
    const id = await calculation(orgId, { transactionId, teamMemberId, amountMinor, currency: sale_.currency });
    await advance(orgId, id, statuses);
    return { transactionId, id };
  };
  /** A draft payout with one line per payable calculation (and optional adjustment lines), total set to their sum. */
  const payout = (
    orgId: string,
    teamMemberId: string,
    lines: { calculationId?: string; amountMinor: number; description?: string }[],
    opts: { currency?: string; periodStart?: string } = {},
  ) =>
    write(orgId, async (tx) => {
      const currency = opts.currency ?? 'USD';
      // A week of its own unless named: one payout per member, currency and period.
      const start = opts.periodStart ?? new Date(Date.UTC(2026, 0, 5 + 7 * randomInt(0, 5_000))).toISOString().slice(0, 10);
      const [row] = await tx<{ id: string; period_end: string }[]>`
        insert into public.commission_payouts (organization_id, team_member_id, period_start, period_end, currency)
        values (${orgId}, ${teamMemberId}, ${start}::date, ${start}::date + 6, ${currency}) returning id, period_end::text`;
      for (const line of lines) {
        await tx`insert into public.commission_payout_items (organization_id, payout_id, team_member_id, currency, calculation_id, description, amount_minor)
                 values (${orgId}, ${row!.id}, ${teamMemberId}, ${currency}, ${line.calculationId ?? null}, ${line.description ?? null}, ${line.amountMinor})`;
      }
      const total = lines.reduce((sum, l) => sum + l.amountMinor, 0);
      await tx`update public.commission_payouts set total_minor = ${total} where id = ${row!.id}`;
      return { id: row!.id, periodEnd: row!.period_end };
    });
  return { sale, calculation, refund, notify, advance, commission, payout };
}

/** The team member linked to the tenant's sales user (created on first use). */
export async function salesRep(owner: Sql, t: Tenant, name = 'Sam Sales'): Promise<string> {
  const [found] = await owner<{ id: string }[]>`
    select id from public.team_members where organization_id = ${t.orgId} and user_id = ${t.users.sales.userId} order by created_at limit 1`;
  if (found) return found.id;
  const [row] = await owner<{ id: string }[]>`
    insert into public.team_members (organization_id, full_name, user_id) values (${t.orgId}, ${name}, ${t.users.sales.userId}) returning id`;
  return row!.id;
}

/** A plan with one version (a 10% rule), written as the owner; returns the plan and version ids. */
export async function plan(owner: Sql, orgId: string, opts: { name?: string; effectiveFrom?: string } = {}) {
  const [p] = await owner<{ id: string }[]>`
    insert into public.commission_plans (organization_id, name) values (${orgId}, ${opts.name ?? `Plan ${randomUUID().slice(0, 6)}`}) returning id`;
  const [v] = await owner<{ id: string }[]>`
    insert into public.commission_plan_versions (organization_id, plan_id, effective_from, currency, rules)
    values (${orgId}, ${p!.id}, ${opts.effectiveFrom ?? '2026-01-01T00:00:00Z'}, 'USD',
            ${owner.json({ rules: [{ kind: 'percentage', id: 'base', rateBps: 1000 }], overrides: [], caps: {} })})
    returning id`;
  return { planId: p!.id, versionId: v!.id };
}
