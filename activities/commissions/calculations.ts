/*
 * Pricing a sale into commission rows, and deciding them. The rows are the ledger (see the
 * commissions migrations): created once per sale and team member, then only their status moves.
 */
import { ApplicationFailure } from '@temporalio/common';
import { calculate, type CalculationResult, formatMinor, memberDefaultFromRow, planVersionSchema, selectPlanVersion, type PlanVersion, type TraceStep } from '../../commissions';
import type { Sql } from '../../db/client';
import { can, type CustomPermissions, type Role } from '../../db/rbac/matrix';
import { type Tx, withClaims } from '../../db/tenant';
import { asWorker, notFound, toActivityFailure, toJsonText } from '../db/support';
import { loadSettings, type SettingsRow } from './settings';

export interface CalculationSummary {
  id: string;
  teamMemberId: string;
  amountMinor: number;
  currency: string;
  status: string;
  /** The organization's rule approves it without a person (under its threshold). */
  autoApprove: boolean;
}

interface SaleRow {
  id: string;
  team_member_id: string | null;
  amount_minor: string;
  currency: string;
  paid_at: Date;
  product_id: string | null;
  pipeline_id: string | null;
  splits: Array<{ teamMemberId: string; creditBps: number; payoutBps: number }> | null;
}

interface VersionRow {
  id: string;
  plan_id: string;
  plan_name: string;
  effective_from: Date;
  currency: string;
  rules: { rules?: unknown; overrides?: unknown; caps?: unknown };
}

const VIA_TEXT: Record<string, string> = {
  recorded: 'the sale was recorded for this team member',
  custom_data: "named in the GHL workflow webhook's customData",
  opportunity: "the GHL opportunity's assigned user",
  contact: "the GHL contact's assigned user",
  manual: 'assigned by a manager',
};

/** The plan version that prices this member's sale: their plan, else the organization's default plan. */
async function planVersionFor(tx: Tx, orgId: string, memberId: string, defaultPlanId: string | null, paidAt: Date): Promise<{ version: PlanVersion; row: VersionRow } | { invalid: string } | null> {
  const rows = await tx<VersionRow[]>`
    select v.id, v.plan_id, p.name as plan_name, v.effective_from, v.currency, v.rules
    from public.commission_plan_versions v join public.commission_plans p on p.organization_id = v.organization_id and p.id = v.plan_id
    where v.organization_id = ${orgId} and p.is_active
      and v.plan_id = coalesce(
        (select m.plan_id from public.commission_plan_members m where m.organization_id = ${orgId} and m.team_member_id = ${memberId}),
        ${defaultPlanId}::uuid)
    order by v.effective_from, v.created_at`;
  if (rows.length === 0) return null;
  const versions = rows.map((r, i) => ({ row: r, version: i + 1, effectiveFrom: r.effective_from.toISOString() }));
  const chosen = selectPlanVersion(versions, paidAt.toISOString());
  if (!chosen) return null;
  const parsed = planVersionSchema.safeParse({
    planId: chosen.row.plan_id,
    version: chosen.version,
    effectiveFrom: chosen.effectiveFrom,
    currency: chosen.row.currency,
    rules: chosen.row.rules.rules ?? [],
    overrides: chosen.row.rules.overrides ?? [],
    caps: chosen.row.rules.caps ?? {},
  });
  if (!parsed.success) return { invalid: `plan "${chosen.row.plan_name}" version ${chosen.version} is not valid: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  return { version: parsed.data, row: chosen.row };
}

/** What the member sold and earned earlier in the sale's calendar month (organization timezone). */
async function periodSoFar(tx: Tx, orgId: string, sale: SaleRow, memberId: string, timezone: string) {
  const [row] = await tx<{ volume: string; commission: string }[]>`
    with bounds as (
      select (date_trunc('month', ${sale.paid_at}::timestamptz at time zone ${timezone}) at time zone ${timezone}) as start
    )
    select
      (select coalesce(sum(s.amount_minor - s.refunded_minor), 0) from public.sales_transactions s, bounds b
        where s.organization_id = ${orgId} and s.team_member_id = ${memberId} and s.currency = ${sale.currency}
          and s.paid_at >= b.start and (s.paid_at, s.id) < (${sale.paid_at}::timestamptz, ${sale.id}::uuid))::text as volume,
      (select coalesce(sum(c.amount_minor), 0) from public.commission_calculations c
        join public.sales_transactions s on s.organization_id = c.organization_id and s.id = c.transaction_id, bounds b
        where c.organization_id = ${orgId} and c.team_member_id = ${memberId} and c.currency = ${sale.currency}
          and c.kind = 'commission' and c.status not in ('rejected', 'superseded', 'held')
          and s.paid_at >= b.start and (s.paid_at, s.id) < (${sale.paid_at}::timestamptz, ${sale.id}::uuid))::text as commission`;
  return { volumeBeforeMinor: Number(row!.volume), commissionToDateMinor: Number(row!.commission) };
}

async function currentCalculations(tx: Tx, orgId: string, transactionId: string, autoMax: bigint | null, autoCurrency: string | null): Promise<CalculationSummary[]> {
  const rows = await tx<{ id: string; team_member_id: string; amount_minor: string; currency: string; status: string }[]>`
    select c.id, c.team_member_id, c.amount_minor::text, c.currency, c.status from public.commission_calculations c
    where c.organization_id = ${orgId} and c.transaction_id = ${transactionId} and c.kind = 'commission' and c.status <> 'superseded'
    order by c.team_member_id`;
  return rows.map((r) => ({
    id: r.id,
    teamMemberId: r.team_member_id,
    amountMinor: Number(r.amount_minor),
    currency: r.currency,
    status: r.status,
    autoApprove: r.status === 'pending' && autoMax !== null && r.currency === autoCurrency && BigInt(r.amount_minor) <= autoMax,
  }));
}

interface PricedRow {
  teamMemberId: string;
  amountMinor: number;
  currency: string;
  status: 'pending' | 'held';
  held: string | null;
  trace: TraceStep[];
}

/** The sale priced now: one row per team member paid (one held row when no amount can be given). */
async function priceSale(tx: Tx, orgId: string, sale: SaleRow, settings: SettingsRow, via: string | null): Promise<{ rows: PricedRow[]; versionId: string | null }> {
  const memberId = sale.team_member_id!;
  const [member] = await tx<{ full_name: string; commission_rate_bps: number | null; commission_type: 'percentage' | 'flat' | null; deleted_at: Date | null }[]>`
    select full_name, commission_rate_bps, commission_type, deleted_at from public.team_members where organization_id = ${orgId} and id = ${memberId}`;
  const attribution: TraceStep = { rule: 'attribution', note: `${member?.full_name ?? 'team member'}: ${VIA_TEXT[via ?? 'recorded'] ?? via}` };
  const plan = await planVersionFor(tx, orgId, memberId, settings.default_plan_id, sale.paid_at);
  let hold: string | null = null;
  let lines: CalculationResult['lines'] = [];
  let versionId: string | null = null;
  if (member?.deleted_at) {
    // Deleted after the sale was credited to them: nobody is paid until a manager decides.
    hold = `${member.full_name} is a deleted team member: restore them, or reject this and credit the sale to someone else`;
  } else if (plan && 'invalid' in plan) {
    hold = plan.invalid;
  } else {
    versionId = plan?.row.id ?? null;
    const result = calculate({
      sale: { amountMinor: Number(sale.amount_minor), currency: sale.currency, productId: sale.product_id ?? undefined, pipelineId: sale.pipeline_id ?? undefined },
      teamMemberId: memberId,
      plan: plan?.version ?? null,
      memberDefault: member ? memberDefaultFromRow(member) : null,
      ...(sale.splits && sale.splits.length > 0 ? { splits: sale.splits } : {}),
      period: await periodSoFar(tx, orgId, sale, memberId, settings.timezone),
    });
    hold = result.heldForReview?.reason ?? null;
    lines = result.lines;
  }
  const rows: PricedRow[] = hold !== null
    ? [{ teamMemberId: memberId, amountMinor: 0, currency: sale.currency, status: 'held', held: hold, trace: [attribution, { rule: 'hold', note: hold }] }]
    : lines.map((l) => ({ teamMemberId: l.teamMemberId, amountMinor: l.amountMinor, currency: l.currency, status: 'pending', held: null, trace: [attribution, ...l.trace] }));
  return { rows, versionId };
}

type Decision = 'approve' | 'reject';

/** Errors a person can act on, named so the API turns them into the right status. */
export const refused = (type: 'AlreadyDecided' | 'Forbidden', message: string) => ApplicationFailure.create({ message, type, nonRetryable: true });

/**
 * The decision itself, in the decider's transaction (a person's claims, or the worker's): the
 * calculation and the pending clawbacks that follow it move to approved then payable, or to
 * rejected. Shared by the workflow's activity and the API's path for sales without a workflow.
 */
export async function decideInTransaction(tx: Tx, orgId: string, calculationId: string, decision: Decision, comment: string | null): Promise<{ id: string; status: string }> {
  const [calc] = await tx<{ status: string }[]>`
    select status from public.commission_calculations where organization_id = ${orgId} and id = ${calculationId} for update`;
  if (!calc) throw notFound(`commission ${calculationId}`);
  if (calc.status !== 'pending' && calc.status !== 'held') throw refused('AlreadyDecided', `this commission is already ${calc.status}`);
  const next = decision === 'approve' ? 'approved' : 'rejected';
  const clawbacks = await tx<{ id: string }[]>`
    select id from public.commission_calculations
    where organization_id = ${orgId} and clawback_of = ${calculationId} and status = 'pending' order by created_at`;
  for (const id of [calculationId, ...clawbacks.map((c) => c.id)]) {
    const updated = await tx`
      update public.commission_calculations set status = ${next}, comment = ${comment}
      where organization_id = ${orgId} and id = ${id} returning id`;
    if (updated.length === 0) throw refused('Forbidden', 'you may not decide commissions in this organization');
    if (next === 'approved') await tx`update public.commission_calculations set status = 'payable' where organization_id = ${orgId} and id = ${id}`;
  }
  return { id: calculationId, status: next === 'approved' ? 'payable' : 'rejected' };
}

export function createCalculationActivities(deps: { sql: Sql }) {
  const { sql } = deps;
  return {
    /**
     * Prices the sale with the plan in force at its paid_at (else the member's own rate), splits
     * it, and records one pending row per team member (held, with the reason, when no rule or
     * a currency mismatch prevents an amount). A repeat answers the rows already there.
     */
    async calculateSale(input: { orgId: string; transactionId: string; via: string | null }): Promise<CalculationSummary[]> {
      const { orgId } = input;
      return asWorker(sql, orgId, async (tx) => {
        const [sale] = await tx<SaleRow[]>`
          select id, team_member_id, amount_minor::text, currency, paid_at, product_id, pipeline_id, splits from public.sales_transactions
          where organization_id = ${orgId} and id = ${input.transactionId} for update`;
        if (!sale) throw notFound(`sale ${input.transactionId}`);
        if (!sale.team_member_id) throw ApplicationFailure.nonRetryable('the sale has no team member yet', 'Unattributed');
        const settings = await loadSettings(tx, orgId);
        const autoMax = settings.auto_approve_max_minor === null ? null : BigInt(settings.auto_approve_max_minor);
        const existing = await currentCalculations(tx, orgId, sale.id, autoMax, settings.auto_approve_currency);
        if (existing.length > 0) return existing;

        const { rows, versionId } = await priceSale(tx, orgId, sale, settings, input.via);
        for (const r of rows) {
          await tx`
            insert into public.commission_calculations (organization_id, transaction_id, team_member_id, plan_version_id, kind, amount_minor, currency, trace, status, held_reason)
            values (${orgId}, ${sale.id}, ${r.teamMemberId}, ${versionId}, 'commission', ${r.amountMinor}, ${r.currency}, ${toJsonText(r.trace)}::text::jsonb, ${r.status}, ${r.held})
            on conflict (organization_id, transaction_id, team_member_id) where kind = 'commission' and supersedes is null do nothing`;
        }
        return currentCalculations(tx, orgId, sale.id, autoMax, settings.auto_approve_currency);
      });
    },

    /**
     * The sale's amount changed after it was priced: prices it again, and for each team member
     * whose commission changes records a new pending row that supersedes the current one (which
     * leaves the payable flow; a paid one is clawed back in full instead) with the discrepancy
     * at the top of its trace. Answers the new rows, or the ones already made on a repeat.
     */
    async correctSale(input: { orgId: string; transactionId: string }): Promise<CalculationSummary[]> {
      const { orgId } = input;
      return asWorker(sql, orgId, async (tx) => {
        const [sale] = await tx<(SaleRow & { original_amount_minor: string | null })[]>`
          select id, team_member_id, amount_minor::text, currency, paid_at, product_id, pipeline_id, splits, original_amount_minor::text
          from public.sales_transactions where organization_id = ${orgId} and id = ${input.transactionId} for update`;
        if (!sale) throw notFound(`sale ${input.transactionId}`);
        if (!sale.team_member_id) throw ApplicationFailure.nonRetryable('the sale has no team member yet', 'Unattributed');
        const settings = await loadSettings(tx, orgId);
        const autoMax = settings.auto_approve_max_minor === null ? null : BigInt(settings.auto_approve_max_minor);
        // The latest row of each member's chain (nothing supersedes it).
        const latest = await tx<{ id: string; team_member_id: string; amount_minor: string; status: string }[]>`
          select c.id, c.team_member_id, c.amount_minor::text, c.status from public.commission_calculations c
          where c.organization_id = ${orgId} and c.transaction_id = ${sale.id} and c.kind = 'commission'
            and not exists (select 1 from public.commission_calculations n where n.organization_id = c.organization_id and n.supersedes = c.id)`;
        const { rows, versionId } = await priceSale(tx, orgId, sale, settings, 'recorded');
        const created: string[] = [];
        for (const r of rows) {
          const old = latest.find((l) => l.team_member_id === r.teamMemberId);
          if (old && Number(old.amount_minor) === r.amountMinor && old.status !== 'rejected') continue;
          const was = sale.original_amount_minor ?? sale.amount_minor;
          const discrepancy: TraceStep = {
            rule: 'discrepancy',
            base: Number(sale.amount_minor),
            note: `${was === sale.amount_minor ? 'priced again with the rules in force now' : `the sale changed from ${formatMinor(Number(was), sale.currency)} to ${formatMinor(Number(sale.amount_minor), sale.currency)}`}${old ? `; the commission was ${formatMinor(Number(old.amount_minor), sale.currency)} (${old.status})` : ''}: decide it again`,
          };
          if (old && ['pending', 'held', 'approved', 'payable'].includes(old.status)) {
            await tx`update public.commission_calculations set status = 'superseded' where organization_id = ${orgId} and id = ${old.id}`;
          }
          if (old && old.status === 'paid') {
            // Paid money comes back through the next payout; the new row pays the new amount.
            const [claw] = await tx<{ id: string }[]>`
              insert into public.commission_calculations (organization_id, transaction_id, team_member_id, plan_version_id, kind, amount_minor, currency, trace, status, clawback_of)
              values (${orgId}, ${sale.id}, ${r.teamMemberId}, ${versionId}, 'clawback', ${-Number(old.amount_minor)}, ${sale.currency},
                ${toJsonText([discrepancy, { rule: 'clawback', amountMinor: -Number(old.amount_minor), note: 'the paid commission is taken back; its correction pays the new amount' }])}::text::jsonb, 'pending', ${old.id})
              on conflict do nothing returning id`;
            if (claw) {
              await tx`update public.commission_calculations set status = 'approved', comment = 'corrects a paid commission' where organization_id = ${orgId} and id = ${claw.id}`;
              await tx`update public.commission_calculations set status = 'payable' where organization_id = ${orgId} and id = ${claw.id}`;
            }
          }
          const [row] = await tx<{ id: string }[]>`
            insert into public.commission_calculations (organization_id, transaction_id, team_member_id, plan_version_id, kind, amount_minor, currency, trace, status, held_reason, supersedes)
            values (${orgId}, ${sale.id}, ${r.teamMemberId}, ${versionId}, 'commission', ${r.amountMinor}, ${r.currency},
              ${toJsonText([discrepancy, ...r.trace])}::text::jsonb, ${r.status}, ${r.held}, ${old?.id ?? null})
            on conflict do nothing returning id`;
          if (row) created.push(row.id);
        }
        const ids = created.length > 0 ? created : latest.map((l) => l.id);
        const current = await tx<{ id: string; team_member_id: string; amount_minor: string; currency: string; status: string }[]>`
          select id, team_member_id, amount_minor::text, currency, status from public.commission_calculations
          where organization_id = ${orgId} and id = any(${ids}::uuid[]) order by team_member_id`;
        return current.map((c) => ({
          id: c.id,
          teamMemberId: c.team_member_id,
          amountMinor: Number(c.amount_minor),
          currency: c.currency,
          status: c.status,
          autoApprove: c.status === 'pending' && autoMax !== null && c.currency === settings.auto_approve_currency && BigInt(c.amount_minor) <= autoMax,
        }));
      });
    },

    /**
     * Approves (then makes payable) or rejects one calculation, with the pending clawbacks that
     * follow it. A person's decision runs with their own claims, so RLS (commissions:approve) and
     * the ledger trigger (never one's own commission) decide; an automatic one runs as the worker.
     */
    async decideCommission(input: { orgId: string; calculationId: string; decision: Decision; userId: string | null; comment: string | null }): Promise<{ id: string; status: string }> {
      const { orgId } = input;
      const run = <T>(fn: (tx: Tx) => Promise<T>) =>
        input.userId ? withClaims(sql, { role: 'authenticated', sub: input.userId }, fn) : withClaims(sql, { role: 'worker', org_id: orgId }, fn);
      try {
        return await run((tx) => decideInTransaction(tx, orgId, input.calculationId, input.decision, input.comment));
      } catch (err) {
        throw toActivityFailure(err);
      }
    },

    /** Records a reminder (to the approvers) or an escalation (to the owners) of an undecided commission, once. */
    async notifyApprovers(input: { orgId: string; calculationId: string; kind: 'reminder' | 'escalation' }): Promise<{ recipients: number }> {
      const { orgId } = input;
      return asWorker(sql, orgId, async (tx) => {
        const [calc] = await tx<{ beneficiary: string | null }[]>`
          select t.user_id as beneficiary from public.commission_calculations c
          join public.team_members t on t.organization_id = c.organization_id and t.id = c.team_member_id
          where c.organization_id = ${orgId} and c.id = ${input.calculationId}`;
        if (!calc) throw notFound(`commission ${input.calculationId}`);
        const members = await tx<{ user_id: string; role: Role; custom_permissions: CustomPermissions }[]>`
          select user_id, role, custom_permissions from public.organization_members where organization_id = ${orgId} and status = 'active'`;
        const recipients = members
          .filter((m) => (input.kind === 'escalation' ? m.role === 'owner' : can(m.role, 'commissions', 'approve', m.custom_permissions)))
          .filter((m) => m.user_id !== calc.beneficiary)
          .map((m) => m.user_id)
          .sort();
        await tx`
          insert into public.commission_notifications (organization_id, calculation_id, kind, recipients)
          values (${orgId}, ${input.calculationId}, ${input.kind}, ${recipients}::uuid[])
          on conflict (organization_id, calculation_id, kind) do nothing`;
        return { recipients: recipients.length };
      });
    },

    /** The organization's reminder and escalation delays, read when the wait starts. */
    async commissionTimers(input: { orgId: string }): Promise<{ reminderAfterSeconds: number; escalateAfterSeconds: number }> {
      const settings = await asWorker(sql, input.orgId, (tx) => loadSettings(tx, input.orgId));
      return { reminderAfterSeconds: settings.reminder_after_seconds, escalateAfterSeconds: settings.escalate_after_seconds };
    },

    /** The statuses of these calculations now (a decision may have been made outside the workflow). */
    async calculationStatuses(input: { orgId: string; ids: string[] }): Promise<Record<string, string>> {
      return asWorker(sql, input.orgId, async (tx) => {
        const rows = await tx<{ id: string; status: string }[]>`
          select id, status from public.commission_calculations where organization_id = ${input.orgId} and id = any(${input.ids}::uuid[])`;
        return Object.fromEntries(rows.map((r) => [r.id, r.status]));
      });
    },
  };
}

export type CalculationActivities = ReturnType<typeof createCalculationActivities>;
