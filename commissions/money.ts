/*
 * Money arithmetic for commissions. THE rounding rules, in one place:
 *
 * 1. Amounts are integers in the currency's minor unit (cents for USD, yen for JPY) with an ISO
 *    4217 code beside them. Inputs and outputs are safe integers; arithmetic inside is bigint,
 *    so a product such as amount x basis points never loses a digit.
 * 2. Rates are integer basis points (1% = 100 bps). A rule's amount is an exact rational
 *    (numerator over 10 000); it is rounded ONCE, half-even ("banker's rounding": x.5 goes to
 *    the even neighbour, so 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -2.5 -> -2), to the minor unit, by
 *    `roundHalfEven`. That rounded rule amount is what the trace shows.
 * 3. Everything after that works on integers and never rounds again: rule amounts are added,
 *    caps take a minimum, and splits and clawbacks divide a whole with `allocate` (largest
 *    remainder), so the parts always add up exactly to the whole.
 */
import { z } from 'zod';

export const BPS_WHOLE = 10_000n;

/** A non-negative amount in minor units (a safe integer: JSON carries it as a number). */
export const minorUnitsSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as "USD"');
/** Basis points from 0 to 100%. */
export const bpsSchema = z.number().int().min(0).max(10_000);

/** numerator / denominator rounded half-even to an integer (denominator > 0). */
export function roundHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  // Floor division, so the remainder is in [0, denominator) for negative numerators too.
  let quotient = numerator / denominator;
  if (numerator % denominator !== 0n && numerator < 0n) quotient -= 1n;
  const twiceRemainder = 2n * (numerator - quotient * denominator);
  if (twiceRemainder > denominator) return quotient + 1n;
  if (twiceRemainder < denominator) return quotient;
  return quotient % 2n === 0n ? quotient : quotient + 1n;
}

export type Weighted<K extends string> = { key: K; weight: bigint };

/**
 * Divides `total` (>= 0) into parts proportional to the weights, summing exactly to `total`.
 * Each part gets the floor of its exact share; the units left over go one each to the largest
 * fractional remainders, ties broken by key (ascending), so the result depends on nothing but
 * the input. A zero total weight gives every part zero.
 */
export function allocate<K extends string>(total: bigint, parts: Weighted<K>[]): Map<K, bigint> {
  if (total < 0n) throw new RangeError('allocate divides a non-negative total');
  const weightSum = parts.reduce((sum, p) => sum + p.weight, 0n);
  const result = new Map<K, bigint>();
  if (weightSum === 0n) {
    for (const p of parts) result.set(p.key, 0n);
    return result;
  }
  let given = 0n;
  const remainders: { key: K; remainder: bigint }[] = [];
  for (const p of parts) {
    const exact = total * p.weight;
    const floor = exact / weightSum;
    result.set(p.key, floor);
    given += floor;
    remainders.push({ key: p.key, remainder: exact - floor * weightSum });
  }
  remainders.sort((a, b) => (a.remainder === b.remainder ? compareKeys(a.key, b.key) : a.remainder > b.remainder ? -1 : 1));
  for (let i = 0n; i < total - given; i++) {
    const { key } = remainders[Number(i)]!;
    result.set(key, result.get(key)! + 1n);
  }
  return result;
}

/** Code-unit order, not locale order: the same everywhere the engine runs. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** 1250 -> "12.5%": how rates appear in traces. */
export function bpsText(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const fraction = String(bps % 100).padStart(2, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}%` : `${whole}%`;
}

/** A bigint known to fit back into a safe integer (amounts are bounded by their inputs). */
export function toSafe(value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount ${value} exceeds the safe integer range`);
  return n;
}
