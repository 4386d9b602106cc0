// Commission settings as the API shows them (defaults when an organization has none).
import type { Tx } from '../../../db/tenant';
import type { Settings, StoredSettings } from './schemas';
import { type DbBigint, SETTINGS_DEFAULTS, minorOrNull } from './convert';

// ------------------------------------------------------------------------------------------
// Settings
// ------------------------------------------------------------------------------------------
interface SettingsRow {
  timezone: string;
  attribution_field: string;
  auto_approve_max_minor: DbBigint | null;
  auto_approve_currency: string | null;
  reminder_after_seconds: number;
  escalate_after_seconds: number;
  payout_frequency: Settings['payoutFrequency'];
  payout_anchor: string;
  default_plan_id: string | null;
}

export const toStoredSettings = (r: SettingsRow): StoredSettings => ({
  timezone: r.timezone,
  attributionField: r.attribution_field,
  autoApproveMaxMinor: minorOrNull(r.auto_approve_max_minor),
  autoApproveCurrency: r.auto_approve_currency,
  reminderAfterSeconds: r.reminder_after_seconds,
  escalateAfterSeconds: r.escalate_after_seconds,
  payoutFrequency: r.payout_frequency,
  payoutAnchor: r.payout_anchor,
  defaultPlanId: r.default_plan_id,
});

/** The settings columns, the anchor day as text: for `select` and `returning`. */
export const settingsColumns = (tx: Tx) => tx`
  timezone, attribution_field, auto_approve_max_minor, auto_approve_currency, reminder_after_seconds,
  escalate_after_seconds, payout_frequency, payout_anchor::text as payout_anchor, default_plan_id`;

/**
 * The organization's commission settings (SETTINGS_DEFAULTS while it has no row). Without
 * `nextPayoutAt`, which lives in Temporal: see nextPayoutAt() in payout-schedule.ts.
 */
export async function loadSettings(tx: Tx, orgId: string): Promise<StoredSettings> {
  const [row] = await tx<SettingsRow[]>`
    select ${settingsColumns(tx)} from public.commission_settings where organization_id = ${orgId}`;
  return row ? toStoredSettings(row) : { ...SETTINGS_DEFAULTS };
}
