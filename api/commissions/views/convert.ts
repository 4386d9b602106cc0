// Conversions from database rows: bigint columns to safe integers, timestamps to ISO strings.
import type { Tx } from '../../../db/tenant';
import type { StoredSettings } from './schemas';

// ------------------------------------------------------------------------------------------
// Conversions
// ------------------------------------------------------------------------------------------
export type DbBigint = string | number | bigint;

/** A bigint column as a number; refuses a value a JS number would round (never parseFloat). */
export function minorFromDb(value: DbBigint): number {
  const n = typeof value === 'string' && !/^-?\d+$/.test(value) ? Number.NaN : Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${String(value)} is not an integer within the safe range`);
  return n;
}
export const minorOrNull = (value: DbBigint | null) => (value === null ? null : minorFromDb(value));
export const iso = (value: Date) => value.toISOString();
export const isoOrNull = (value: Date | null) => (value ? value.toISOString() : null);

/** The settings of an organization without a row yet: the column defaults of public.commission_settings. */
export const SETTINGS_DEFAULTS: StoredSettings = {
  timezone: 'UTC',
  attributionField: 'sales_rep_id',
  autoApproveMaxMinor: null,
  autoApproveCurrency: null,
  reminderAfterSeconds: 172_800,
  escalateAfterSeconds: 432_000,
  payoutFrequency: 'monthly',
  payoutAnchor: '2026-01-05',
  defaultPlanId: null,
};

/** 'YYYY-MM-DD' days in UTC, both inclusive, as a half-open range of instants on `column`. */
export function dayRange(tx: Tx, column: string, from?: string, to?: string) {
  return tx`
    ${from ? tx`and ${tx(column)} >= (${from}::date)::timestamp at time zone 'UTC'` : tx``}
    ${to ? tx`and ${tx(column)} < (${to}::date + 1)::timestamp at time zone 'UTC'` : tx``}`;
}
