/*
 * Money in the web app: integer minor units, typed and shown as text. Amounts are entered in
 * major units ("1234.56") and turned into minor units by working on the digits, never through
 * a float (parseFloat("0.29") * 100 is 28.999999999999996). Sums are bigint.
 */
// trace.ts, not the engine's money.ts: that one builds zod schemas, which the pages do not need.
import { formatMinor } from '../../../commissions/trace';
import { bpsToPercent } from '../commission-rate';

export { formatMinor };

/** Digits after the point for a currency: 2 for USD, 0 for JPY, 3 for KWD (as the engine formats it). */
export function exponentOf(currency: string): number {
  const [number = ''] = formatMinor(0, currency).split(' ');
  return number.split('.')[1]?.length ?? 0;
}

// "1234.56", "1,234.56" (thousands in groups of three), "1234", "1234." and ".5" are amounts.
const PLAIN = /^(\d*)(?:\.(\d*))?$/;
const GROUPED = /^(\d{1,3}(?:,\d{3})+)(?:\.(\d*))?$/;

/**
 * "1234.56", "USD" -> 123456. Undefined when the text is not a non-negative amount with at most
 * the currency's number of decimals, or is too large to carry as a JSON number.
 */
export function parseMajor(text: string, currency: string): number | undefined {
  const trimmed = text.trim();
  const m = PLAIN.exec(trimmed) ?? GROUPED.exec(trimmed);
  if (!m) return undefined;
  const whole = (m[1] ?? '').replace(/,/g, '');
  const fraction = m[2] ?? '';
  if (whole === '' && fraction === '') return undefined;
  const exponent = exponentOf(currency);
  if (fraction.length > exponent) return undefined;
  const minor = BigInt(`${whole || '0'}${fraction.padEnd(exponent, '0')}`);
  return minor <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(minor) : undefined;
}

/** 1250 -> "12.5%" (as the engine's traces write rates). */
export function percentText(bps: number): string {
  return `${bpsToPercent(bps)}%`;
}

/** 123456, "USD" -> "1234.56": an amount as an input shows it (no currency, no grouping). */
export function minorToMajor(amountMinor: number, currency: string): string {
  return formatMinor(amountMinor, currency).split(' ')[0] ?? '';
}

/** The error for an amount box, or undefined when it holds an amount. */
export function amountProblem(text: string, currency: string, { required = true } = {}): string | undefined {
  if (text.trim() === '') return required ? 'Enter an amount.' : undefined;
  if (parseMajor(text, currency) !== undefined) return undefined;
  const exponent = exponentOf(currency);
  const decimals = exponent === 0 ? 'no decimals' : `at most ${exponent} decimals`;
  return `Enter an amount in ${currency} such as ${minorToMajor(123456, currency)} (${decimals}, no minus sign).`;
}

export interface CurrencyTotal {
  currency: string;
  totalMinor: bigint;
  count: number;
}

/** Amounts added up per currency (bigint: a sum never loses a digit), currencies in code order. */
export function totalsByCurrency(items: readonly { amountMinor: number; currency: string }[]): CurrencyTotal[] {
  const totals = new Map<string, CurrencyTotal>();
  for (const { amountMinor, currency } of items) {
    const t = totals.get(currency) ?? { currency, totalMinor: 0n, count: 0 };
    t.totalMinor += BigInt(amountMinor);
    t.count += 1;
    totals.set(currency, t);
  }
  return [...totals.values()].sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
}

/** "150.00 USD + 20.00 EUR", or "—" for nothing. */
export function formatTotals(totals: readonly CurrencyTotal[]): string {
  return totals.length ? totals.map((t) => formatMinor(t.totalMinor, t.currency)).join(' + ') : '—';
}

/** Hours as typed ("1.5", at most two decimals) -> whole seconds, by digits; undefined when not hours. */
export function hoursToSeconds(text: string): number | undefined {
  const m = /^(\d{1,6})(?:\.(\d{0,2}))?$/.exec(text.trim());
  if (!m) return undefined;
  // A hundredth of an hour is 36 s, so two decimals always give whole seconds.
  return Number(m[1]) * 3600 + Number((m[2] ?? '').padEnd(2, '0')) * 36;
}

/** 5400 -> "1.5" (rounded to a hundredth of an hour: what the box can hold). */
export function secondsToHours(seconds: number): string {
  const hundredths = Math.round(seconds / 36);
  const fraction = String(hundredths % 100).padStart(2, '0').replace(/0+$/, '');
  return fraction ? `${Math.trunc(hundredths / 100)}.${fraction}` : String(Math.trunc(hundredths / 100));
}
