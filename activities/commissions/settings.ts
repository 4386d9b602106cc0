import type { Tx } from '../../db/tenant';

export interface SettingsRow {
  timezone: string;
  attribution_field: string;
  auto_approve_max_minor: string | null;
  auto_approve_currency: string | null;
  reminder_after_seconds: number;
  escalate_after_seconds: number;
  payout_frequency: 'weekly' | 'biweekly' | 'monthly';
  payout_anchor: string;
  default_plan_id: string | null;
}

/** The organization's commission settings; the column defaults when it never saved any. */
export async function loadSettings(tx: Tx, orgId: string): Promise<SettingsRow> {
  const [row] = await tx<SettingsRow[]>`
    select timezone, attribution_field, auto_approve_max_minor, auto_approve_currency, reminder_after_seconds,
      escalate_after_seconds, payout_frequency, payout_anchor, default_plan_id
    from (
      select 1 as rank, timezone, attribution_field, auto_approve_max_minor::text, auto_approve_currency::text, reminder_after_seconds,
        escalate_after_seconds, payout_frequency, payout_anchor::text, default_plan_id
      from public.commission_settings where organization_id = ${orgId}
      union all
      select 2, 'UTC', 'sales_rep_id', null, null, 172800, 432000, 'monthly', '2026-01-05', null
    ) s
    order by rank
    limit 1`;
  return row!;
}
