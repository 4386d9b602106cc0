/*
 * Payout batches: every payable commission and clawback not yet on a payout goes onto its team
 * member's draft payout for the period (one per member and currency). The schedule runs a batch
 * when a period ends, so that is what was approved by then; a manager's "run now" drafts the
 * current period so far. Re-running adds only what is new; a payout already locked is left
 * alone and its member's new lines wait for the next period.
 */
import { currentPeriod, lastCompletePeriod, type PayoutPeriod } from '../../commissions';
import { localDate } from '../../api/commissions/local-date';
import type { Sql } from '../../db/client';
import { asWorker } from '../db/support';
import { loadSettings } from './settings';

export interface DraftedPayout {
  id: string;
  teamMemberId: string;
  currency: string;
  totalMinor: number;
  itemCount: number;
  status: string;
}

export function createPayoutActivities(deps: { sql: Sql }) {
  const { sql } = deps;
  return {
    /** The period a run at `at` pays: the last complete one (scheduled) or the one under way ("run now"). */
    async resolvePayoutPeriod(input: { orgId: string; at: string; which: 'last-complete' | 'current' }): Promise<PayoutPeriod & { timezone: string }> {
      const settings = await asWorker(sql, input.orgId, (tx) => loadSettings(tx, input.orgId));
      const today = localDate(new Date(input.at), settings.timezone);
      const pick = input.which === 'current' ? currentPeriod : lastCompletePeriod;
      return { ...pick(settings.payout_frequency, settings.payout_anchor, today), timezone: settings.timezone };
    },

    async draftPayouts(input: { orgId: string } & PayoutPeriod): Promise<DraftedPayout[]> {
      const { orgId, periodStart, periodEnd } = input;
      const groups = await asWorker(sql, orgId, async (tx) => {
        return tx<{ team_member_id: string; currency: string }[]>`
          select distinct c.team_member_id, c.currency from public.commission_calculations c
          where c.organization_id = ${orgId} and c.status = 'payable'
            and not exists (select 1 from public.commission_payout_items i where i.organization_id = c.organization_id and i.calculation_id = c.id)
          order by 1, 2`;
      });
      // One short transaction per member: a big organization never holds one long lock.
      for (const g of groups) {
        await asWorker(sql, orgId, async (tx) => {
          await tx`
            insert into public.commission_payouts (organization_id, team_member_id, period_start, period_end, currency)
            values (${orgId}, ${g.team_member_id}, ${periodStart}, ${periodEnd}, ${g.currency})
            on conflict (organization_id, team_member_id, currency, period_start, period_end) do nothing`;
          const [payout] = await tx<{ id: string; status: string }[]>`
            select id, status from public.commission_payouts
            where organization_id = ${orgId} and team_member_id = ${g.team_member_id} and currency = ${g.currency}
              and period_start = ${periodStart} and period_end = ${periodEnd}
            for update`;
          if (payout!.status !== 'draft') return;
          await tx`
            insert into public.commission_payout_items (organization_id, payout_id, team_member_id, currency, calculation_id, amount_minor)
            select c.organization_id, ${payout!.id}, c.team_member_id, c.currency, c.id, c.amount_minor
            from public.commission_calculations c
            where c.organization_id = ${orgId} and c.team_member_id = ${g.team_member_id} and c.currency = ${g.currency} and c.status = 'payable'
              and not exists (select 1 from public.commission_payout_items i where i.organization_id = c.organization_id and i.calculation_id = c.id)
            order by c.decided_at, c.id
            on conflict (organization_id, calculation_id) where calculation_id is not null do nothing`;
          await tx`
            update public.commission_payouts p set total_minor = (
              select coalesce(sum(i.amount_minor), 0) from public.commission_payout_items i where i.organization_id = p.organization_id and i.payout_id = p.id)
            where p.organization_id = ${orgId} and p.id = ${payout!.id}`;
        });
      }
      return asWorker(sql, orgId, async (tx) => {
        const rows = await tx<{ id: string; team_member_id: string; currency: string; total_minor: string; item_count: number; status: string }[]>`
          select p.id, p.team_member_id, p.currency, p.total_minor::text, p.status,
            (select count(*)::int from public.commission_payout_items i where i.organization_id = p.organization_id and i.payout_id = p.id) as item_count
          from public.commission_payouts p
          where p.organization_id = ${orgId} and p.period_start = ${periodStart} and p.period_end = ${periodEnd}
          order by p.team_member_id, p.currency`;
        return rows.map((r) => ({ id: r.id, teamMemberId: r.team_member_id, currency: r.currency, totalMinor: Number(r.total_minor), itemCount: r.item_count, status: r.status }));
      });
    },
  };
}

export type PayoutActivities = ReturnType<typeof createPayoutActivities>;
