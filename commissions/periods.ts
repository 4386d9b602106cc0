/*
 * Payout periods: calendar days in the organization's timezone, both ends inclusive, as
 * 'YYYY-MM-DD' strings. Pure date arithmetic on civil dates (no clock, no timezone database):
 * the caller turns "now" into the organization's local date first.
 */
export type PayoutFrequency = 'weekly' | 'biweekly' | 'monthly';

export interface PayoutPeriod {
  periodStart: string;
  periodEnd: string;
}

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a civil date (UTC arithmetic, so no DST can move it). */
export function dayNumber(date: string): number {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== date) throw new RangeError(`not a calendar date: ${date}`);
  return ms / DAY_MS;
}

export function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export const addDays = (date: string, days: number): string => fromDayNumber(dayNumber(date) + days);

/**
 * The last complete period on `today` (the organization's local date): it ended yesterday or
 * earlier. Weekly and bi-weekly periods start on the anchor's weekday, every 7 or 14 days from
 * the anchor (before or after it); monthly periods are calendar months.
 */
export function lastCompletePeriod(frequency: PayoutFrequency, anchor: string, today: string): PayoutPeriod {
  const t = dayNumber(today);
  if (frequency === 'monthly') {
    const [y, m] = today.split('-').map(Number) as [number, number];
    const start = new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 10);
    const end = fromDayNumber(Date.UTC(y, m - 1, 1) / DAY_MS - 1);
    return { periodStart: start, periodEnd: end };
  }
  const length = frequency === 'weekly' ? 7 : 14;
  const a = dayNumber(anchor);
  // The start of the period that contains today, then the one before it.
  const currentStart = a + Math.floor((t - a) / length) * length;
  return { periodStart: fromDayNumber(currentStart - length), periodEnd: fromDayNumber(currentStart - 1) };
}

/** The period that contains `today` (a run "now" drafts it so far; the scheduled run completes it). */
export function currentPeriod(frequency: PayoutFrequency, anchor: string, today: string): PayoutPeriod {
  return lastCompletePeriod(frequency, anchor, nextPeriodStartAfter(frequency, anchor, today));
}

/** The first day of the period after the one containing `today`. */
function nextPeriodStartAfter(frequency: PayoutFrequency, anchor: string, today: string): string {
  if (frequency === 'monthly') {
    const [y, m] = today.split('-').map(Number) as [number, number];
    return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  }
  const length = frequency === 'weekly' ? 7 : 14;
  const a = dayNumber(anchor);
  const t = dayNumber(today);
  return fromDayNumber(a + (Math.floor((t - a) / length) + 1) * length);
}

/** The period that ends on or before `date` (the last complete one on the day after it). */
export function periodEndingBy(frequency: PayoutFrequency, anchor: string, date: string): PayoutPeriod {
  return lastCompletePeriod(frequency, anchor, addDays(date, 1));
}

/** Whether a payout run is due on `today`: the first day of a new period. */
export function isPeriodStart(frequency: PayoutFrequency, anchor: string, today: string): boolean {
  if (frequency === 'monthly') return today.endsWith('-01');
  const length = frequency === 'weekly' ? 7 : 14;
  return (((dayNumber(today) - dayNumber(anchor)) % length) + length) % length === 0;
}
