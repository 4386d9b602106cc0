/*
 * A refund, recorded once per (sale, refund id), takes commission back: one negative clawback
 * row per commission of the sale, sized by the rules engine's clawback(). A clawback of a
 * commission already approved is payable at once, so the next payout recovers it; one of a
 * commission still undecided waits and follows that decision.
 */
import { ApplicationFailure } from '@temporalio/common';
import { clawback } from '../../commissions';
import type { Sql } from '../../db/client';
import { asWorker, notFound, toJsonText } from '../db/support';
import type { SaleSource } from './ghl-payments';

export interface RefundInput {
  orgId: string;
  /** The sale, by id or by its source's id. */
  transactionId?: string;
  source?: SaleSource;
  externalId?: string;
  refundExternalId: string;
  amountMinor: number;
  reason: string | null;
}

export interface RefundOutcome {
  refundId: string;
  transactionId: string;
  created: boolean;
  clawbackIds: string[];
}

export function createRefundActivities(deps: { sql: Sql }) {
  const { sql } = deps;
  return {
    async recordRefund(input: RefundInput): Promise<RefundOutcome> {
      const { orgId } = input;
      return asWorker(sql, orgId, async (tx) => {
        const [sale] = await tx<{ id: string; amount_minor: string; refunded_minor: string; currency: string }[]>`
          select id, amount_minor::text, refunded_minor::text, currency from public.sales_transactions
          where organization_id = ${orgId}
            and ${input.transactionId ? tx`id = ${input.transactionId}` : tx`source = ${input.source ?? ''} and external_id = ${input.externalId ?? ''}`}
          for update`;
        if (!sale) throw notFound(`sale ${input.transactionId ?? `${input.source}:${input.externalId}`}`);
        const [seen] = await tx<{ id: string }[]>`
          select id from public.sales_refunds where organization_id = ${orgId} and transaction_id = ${sale.id} and external_id = ${input.refundExternalId}`;
        if (seen) {
          const rows = await tx<{ id: string }[]>`select id from public.commission_calculations where organization_id = ${orgId} and refund_id = ${seen.id} order by id`;
          return { refundId: seen.id, transactionId: sale.id, created: false, clawbackIds: rows.map((r) => r.id) };
        }
        const amount = Number(sale.amount_minor);
        const refundedBefore = Number(sale.refunded_minor);
        if (input.amountMinor > amount - refundedBefore) {
          throw ApplicationFailure.create({
            message: `the refund (${input.amountMinor}) is more than what is left of the sale (${amount - refundedBefore})`,
            type: 'RefundTooLarge',
            nonRetryable: true,
          });
        }
        const [refund] = await tx<{ id: string }[]>`
          insert into public.sales_refunds (organization_id, transaction_id, external_id, amount_minor, reason)
          values (${orgId}, ${sale.id}, ${input.refundExternalId}, ${input.amountMinor}, ${input.reason}) returning id`;
        const refunded = refundedBefore + input.amountMinor;
        await tx`
          update public.sales_transactions
          set refunded_minor = ${refunded}, status = ${refunded === amount ? 'refunded' : 'partially_refunded'}
          where organization_id = ${orgId} and id = ${sale.id}`;

        const originals = await tx<{ id: string; team_member_id: string; amount_minor: string; currency: string; status: string; plan_version_id: string | null }[]>`
          select id, team_member_id, amount_minor::text, currency, status, plan_version_id from public.commission_calculations
          where organization_id = ${orgId} and transaction_id = ${sale.id} and kind = 'commission'
            and status in ('pending', 'approved', 'payable', 'paid') and amount_minor > 0
          order by team_member_id`;
        if (originals.length === 0) return { refundId: refund!.id, transactionId: sale.id, created: true, clawbackIds: [] };
        const previous = await tx<{ team_member_id: string; amount_minor: string }[]>`
          select team_member_id, amount_minor::text from public.commission_calculations
          where organization_id = ${orgId} and kind = 'clawback' and status <> 'rejected'
            and clawback_of = any(${originals.map((o) => o.id)}::uuid[])`;
        const lines = clawback(
          originals.map((o) => ({ teamMemberId: o.team_member_id, amountMinor: Number(o.amount_minor), currency: o.currency })),
          input.amountMinor,
          amount,
          { refundedMinor: refundedBefore, lines: previous.map((p) => ({ teamMemberId: p.team_member_id, amountMinor: Number(p.amount_minor) })) },
        );
        const clawbackIds: string[] = [];
        for (const line of lines) {
          if (line.amountMinor === 0) continue;
          const original = originals.find((o) => o.team_member_id === line.teamMemberId)!;
          const [row] = await tx<{ id: string }[]>`
            insert into public.commission_calculations (organization_id, transaction_id, team_member_id, plan_version_id, kind, amount_minor,
              currency, trace, status, clawback_of, refund_id)
            values (${orgId}, ${sale.id}, ${line.teamMemberId}, ${original.plan_version_id}, 'clawback', ${line.amountMinor}, ${line.currency},
              ${toJsonText(line.trace)}::text::jsonb, 'pending', ${original.id}, ${refund!.id})
            returning id`;
          clawbackIds.push(row!.id);
          // The commission was approved: its money is owed or paid, so the clawback is due now.
          if (original.status !== 'pending') {
            await tx`update public.commission_calculations set status = 'approved', comment = 'follows the approved commission it claws back'
              where organization_id = ${orgId} and id = ${row!.id}`;
            await tx`update public.commission_calculations set status = 'payable' where organization_id = ${orgId} and id = ${row!.id}`;
          }
        }
        return { refundId: refund!.id, transactionId: sale.id, created: true, clawbackIds };
      });
    },
  };
}

export type RefundActivities = ReturnType<typeof createRefundActivities>;
