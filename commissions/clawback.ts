/*
 * Refunds take commission back: negative lines proportional to the refunded share of the sale.
 * The clawed total is the original total x refunded / sale, rounded once half-even (money.ts);
 * a full refund claws back exactly the original lines. The total is divided over the lines by
 * largest remainder weighted by what each line still holds, so no line ever gives back more
 * than it earned and the parts add up exactly.
 *
 * Several partial refunds: pass the earlier refunds and the clawback lines they produced
 * (`previous`). The engine works on the cumulative refund, less what was already taken back
 * line by line, so the clawbacks of a sale add up to the clawback of its total refund, no line
 * ever gives back more than it earned, and a sale refunded in full ends at exactly zero.
 * (Recomputing the earlier lines instead of reading them back would not do: a largest-remainder
 * split of a larger total can give one line a unit less than a smaller total did.)
 */
import { allocate, roundHalfEven, toSafe } from './money';
import { formatMinor, type TraceStep } from './trace';

export type OriginalLine = { teamMemberId: string; amountMinor: number; currency: string };

export type ClawbackLine = { teamMemberId: string; amountMinor: number; currency: string; trace: TraceStep[] };

export type PreviousClawbacks = {
  /** The sale's refunds before this one, in total. */
  refundedMinor: number;
  /** Every clawback line already recorded for the sale (amounts <= 0; several per member allowed). */
  lines: readonly { teamMemberId: string; amountMinor: number }[];
};

export function clawback(originalLines: readonly OriginalLine[], refundMinor: number, saleAmountMinor: number, previous?: PreviousClawbacks): ClawbackLine[] {
  for (const [name, value] of [['refundMinor', refundMinor], ['saleAmountMinor', saleAmountMinor], ['previous.refundedMinor', previous?.refundedMinor ?? 0]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer number of minor units`);
  }
  for (const line of originalLines) {
    if (!Number.isSafeInteger(line.amountMinor) || line.amountMinor < 0) throw new RangeError(`line for ${line.teamMemberId}: only non-negative original lines are clawed back`);
  }
  const currencies = new Set(originalLines.map((l) => l.currency));
  if (currencies.size > 1) throw new RangeError(`original lines mix currencies: ${[...currencies].join(', ')}`);
  const ids = originalLines.map((l) => l.teamMemberId);
  if (new Set(ids).size !== ids.length) throw new RangeError('one line per team member');
  if (saleAmountMinor === 0) return [];

  const sale = BigInt(saleAmountMinor);
  const refundedBefore = minBig(BigInt(previous?.refundedMinor ?? 0), sale);
  const cumulative = minBig(refundedBefore + BigInt(refundMinor), sale);
  const takenBefore = takenBack(originalLines, previous?.lines ?? []);
  const originalTotal = originalLines.reduce((sum, l) => sum + BigInt(l.amountMinor), 0n);
  const takenTotal = [...takenBefore.values()].reduce((sum, v) => sum + v, 0n);
  const due = clawedTotal(originalTotal, cumulative, sale) - takenTotal;
  const remaining = originalLines.map((l) => ({ key: l.teamMemberId, weight: BigInt(l.amountMinor) - takenBefore.get(l.teamMemberId)! }));
  const parts = allocate(due > 0n ? due : 0n, remaining);

  return originalLines.map((line) => {
    const part = parts.get(line.teamMemberId)!;
    const note =
      cumulative === sale && refundedBefore === 0n
        ? `full refund of ${formatMinor(sale, line.currency)}: the whole ${formatMinor(line.amountMinor, line.currency)} is clawed back`
        : `refund of ${formatMinor(refundMinor, line.currency)} (${formatMinor(cumulative, line.currency)} of ${formatMinor(sale, line.currency)} refunded so far): ${formatMinor(-part, line.currency)} of ${formatMinor(line.amountMinor, line.currency)}`;
    return {
      teamMemberId: line.teamMemberId,
      amountMinor: toSafe(-part),
      currency: line.currency,
      trace: [{ rule: 'clawback', base: line.amountMinor, amountMinor: toSafe(-part), note }],
    };
  });
}

/** Per member, what earlier clawback lines already took back (a positive amount), checked against the original. */
function takenBack(originalLines: readonly OriginalLine[], previousLines: PreviousClawbacks['lines']): Map<string, bigint> {
  const taken = new Map(originalLines.map((l) => [l.teamMemberId, 0n]));
  for (const line of previousLines) {
    const sofar = taken.get(line.teamMemberId);
    if (sofar === undefined) throw new RangeError(`earlier clawback for ${line.teamMemberId}, who has no original line`);
    if (!Number.isSafeInteger(line.amountMinor) || line.amountMinor > 0) throw new RangeError('earlier clawback lines are negative integers');
    taken.set(line.teamMemberId, sofar - BigInt(line.amountMinor));
  }
  for (const line of originalLines) {
    if (taken.get(line.teamMemberId)! > BigInt(line.amountMinor)) throw new RangeError(`earlier clawbacks for ${line.teamMemberId} exceed the original line`);
  }
  return taken;
}

/** What a cumulative refund claws back in total: exact at a full refund, half-even otherwise. */
function clawedTotal(originalTotal: bigint, refunded: bigint, sale: bigint): bigint {
  if (refunded === sale) return originalTotal;
  return roundHalfEven(originalTotal * refunded, sale);
}

const minBig = (a: bigint, b: bigint) => (a < b ? a : b);
