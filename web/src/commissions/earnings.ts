import type { EarningsPeriod } from '../api/commissions';

export interface EarningsSeries {
  key: 'pendingMinor' | 'approvedMinor' | 'paidMinor' | 'clawedBackMinor';
  label: string;
  colour: string;
}

/** The four bars of a month, in the order a commission moves through them. */
export const SERIES: EarningsSeries[] = [
  { key: 'pendingMinor', label: 'Pending', colour: '#94a3b8' },
  { key: 'approvedMinor', label: 'Approved', colour: '#2563eb' },
  { key: 'paidMinor', label: 'Paid', colour: '#16a34a' },
  { key: 'clawedBackMinor', label: 'Clawed back', colour: '#dc2626' },
];

/**
 * A month as bar heights. Clawbacks are drawn upward as an amount taken back, whichever sign
 * the API gives them. Heights are numbers for the chart's geometry only: labels and totals are
 * formatted from the integers, never from these.
 */
export function chartRows(periods: readonly EarningsPeriod[]) {
  return periods.map((p) => ({
    period: p.period,
    pendingMinor: p.pendingMinor,
    approvedMinor: p.approvedMinor,
    paidMinor: p.paidMinor,
    clawedBackMinor: Math.abs(p.clawedBackMinor),
  }));
}

/** "2026-03" -> "Mar 2026" (the month as named where the user is). */
export function monthLabel(period: string): string {
  const [year, month] = period.split('-').map(Number);
  if (!year || !month) return period;
  return new Date(Date.UTC(year, month - 1, 1)).toLocaleDateString(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });
}
