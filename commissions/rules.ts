/*
 * One rule -> one amount for one sale. Every rule computes an exact rational (numerator over
 * 10 000, as rates are basis points) and rounds it once, half-even (money.ts), so the amount
 * in the trace is the amount that is added up.
 */
import { BPS_WHOLE, bpsText, roundHalfEven } from './money';
import type { Rule, Tier, TieredRule } from './plan';
import { formatMinor, type TraceStep } from './trace';

export type RuleContext = {
  saleAmountMinor: number;
  currency: string;
  /** The period's volume before this sale (what tiers are measured on). */
  periodVolumeBeforeMinor: number;
};

export type RuleResult = { amount: bigint; steps: TraceStep[] };

export function evaluateRule(rule: Rule, ctx: RuleContext): RuleResult {
  switch (rule.kind) {
    case 'percentage': {
      const amount = roundHalfEven(BigInt(ctx.saleAmountMinor) * BigInt(rule.rateBps), BPS_WHOLE);
      const note = `${bpsText(rule.rateBps)} of ${formatMinor(ctx.saleAmountMinor, ctx.currency)} = ${formatMinor(amount, ctx.currency)}`;
      return { amount, steps: [{ rule: rule.id, base: ctx.saleAmountMinor, rate: bpsText(rule.rateBps), rateBps: rule.rateBps, amountMinor: Number(amount), note }] };
    }
    case 'flat': {
      const amount = BigInt(rule.amountMinor);
      return { amount, steps: [{ rule: rule.id, amountMinor: rule.amountMinor, note: `flat ${formatMinor(amount, ctx.currency)} per sale` }] };
    }
    case 'tiered':
      return rule.mode === 'marginal' ? marginal(rule, ctx) : retroactive(rule, ctx);
  }
}

/** Index of the tier a volume is in: the last one starting at or below it. */
export function tierIndexAt(tiers: readonly Tier[], volume: bigint): number {
  let index = 0;
  tiers.forEach((tier, i) => {
    if (BigInt(tier.fromMinor) <= volume) index = i;
  });
  return index;
}

function marginal(rule: TieredRule, ctx: RuleContext): RuleResult {
  const start = BigInt(ctx.periodVolumeBeforeMinor);
  const end = start + BigInt(ctx.saleAmountMinor);
  const steps: TraceStep[] = [];
  let numerator = 0n;
  rule.tiers.forEach((tier, i) => {
    const next = rule.tiers[i + 1];
    const from = BigInt(tier.fromMinor);
    const to = next ? BigInt(next.fromMinor) : end;
    const portion = min(end, to) - max(start, from);
    if (portion <= 0n) return;
    numerator += portion * BigInt(tier.rateBps);
    steps.push({
      rule: rule.id,
      base: Number(portion),
      rate: bpsText(tier.rateBps),
      rateBps: tier.rateBps,
      tier: i + 1,
      note: `${formatMinor(portion, ctx.currency)} of the sale falls in tier ${i + 1} at ${bpsText(tier.rateBps)}`,
    });
  });
  const amount = roundHalfEven(numerator, BPS_WHOLE);
  steps.push({ rule: rule.id, base: ctx.saleAmountMinor, amountMinor: Number(amount), note: `marginal tiers: ${formatMinor(amount, ctx.currency)}` });
  return { amount, steps };
}

function retroactive(rule: TieredRule, ctx: RuleContext): RuleResult {
  const before = BigInt(ctx.periodVolumeBeforeMinor);
  const after = before + BigInt(ctx.saleAmountMinor);
  const tierAfter = tierIndexAt(rule.tiers, after);
  const tierBefore = tierIndexAt(rule.tiers, before);
  const rateAfter = rule.tiers[tierAfter]!.rateBps;
  const rateBefore = rule.tiers[tierBefore]!.rateBps;
  // The whole period at the rate reached, less what the earlier sales earned at theirs: the
  // sale's own commission plus the true-up of earlier sales when it crosses into a higher tier.
  const numerator = after * BigInt(rateAfter) - before * BigInt(rateBefore);
  const amount = roundHalfEven(numerator, BPS_WHOLE);
  const steps: TraceStep[] = [
    {
      rule: rule.id,
      base: Number(after),
      rate: bpsText(rateAfter),
      rateBps: rateAfter,
      tier: tierAfter + 1,
      note: `period volume ${formatMinor(after, ctx.currency)} reaches tier ${tierAfter + 1}: all of it earns ${bpsText(rateAfter)}`,
    },
  ];
  if (before > 0n) {
    steps.push({
      rule: rule.id,
      base: Number(before),
      rate: bpsText(rateBefore),
      rateBps: rateBefore,
      tier: tierBefore + 1,
      note:
        tierAfter === tierBefore
          ? `less the period's earlier volume ${formatMinor(before, ctx.currency)}, already paid at ${bpsText(rateBefore)}`
          : `less the period's earlier volume ${formatMinor(before, ctx.currency)}, paid at tier ${tierBefore + 1} (${bpsText(rateBefore)}): this sale carries the true-up`,
    });
  }
  steps.push({ rule: rule.id, base: ctx.saleAmountMinor, amountMinor: Number(amount), note: `retroactive tiers: ${formatMinor(amount, ctx.currency)}` });
  return { amount, steps };
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);
const max = (a: bigint, b: bigint) => (a > b ? a : b);
