/*
 * calculate(): one sale -> the commission lines for the team members it pays.
 *
 *   plan version (the caller picks it: selectPlanVersion at the sale's paid_at)
 *   -> currency check (a sale in another currency than the plan is held for review, no amount)
 *   -> rules: the first matching override's rules, else the plan's base rules, else the
 *      attributed team member's own rate (team_members.commission_rate_bps / commission_type)
 *   -> each rule rounded once (money.ts); the sale's commission is their sum
 *   -> caps: per deal, then per period (what the period already earned is an input)
 *   -> split by payout share (exact: largest remainder, ties by member id).
 */
import { z } from 'zod';
import { allocate, bpsSchema, bpsText, compareKeys, currencySchema, minorUnitsSchema, roundHalfEven, toSafe, BPS_WHOLE } from './money';
import { matchOverride, planVersionSchema, type Caps, type PlanVersion, type Rule } from './plan';
import { evaluateRule } from './rules';
import { formatMinor, type TraceStep } from './trace';

export const saleSchema = z
  .object({
    amountMinor: minorUnitsSchema,
    currency: currencySchema,
    productId: z.string().min(1).optional(),
    pipelineId: z.string().min(1).optional(),
  })
  .strict();

/**
 * The attributed member's own rate, used when no plan rule applies. `flat` pays `amountMinor`
 * per sale in the sale's currency.
 */
export const memberDefaultSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('percentage'), rateBps: bpsSchema }).strict(),
  z.object({ type: z.literal('flat'), amountMinor: minorUnitsSchema }).strict(),
]);

/** Credit counts toward the member's volume (quota, tiers); payout is their share of the money. */
export const splitSchema = z
  .object({ teamMemberId: z.string().min(1), creditBps: bpsSchema, payoutBps: bpsSchema })
  .strict();

export const calculateInputSchema = z
  .object({
    sale: saleSchema,
    /** The team member the sale is attributed to: paid in full when there are no splits. */
    teamMemberId: z.string().min(1),
    plan: planVersionSchema.nullable(),
    memberDefault: memberDefaultSchema.nullable().default(null),
    splits: z.array(splitSchema).min(1).max(50).optional(),
    /** The period so far, before this sale, in the plan's currency. */
    period: z
      .object({ volumeBeforeMinor: minorUnitsSchema.default(0), commissionToDateMinor: minorUnitsSchema.default(0) })
      .strict()
      .default({ volumeBeforeMinor: 0, commissionToDateMinor: 0 }),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (!input.splits) return;
    const total = input.splits.reduce((sum, s) => sum + s.payoutBps, 0);
    if (total !== 10_000) ctx.addIssue({ code: 'custom', path: ['splits'], message: `payout shares must add up to 100% (they add up to ${bpsText(total)})` });
    const ids = input.splits.map((s) => s.teamMemberId);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: ['splits', i, 'teamMemberId'], message: `${id} appears twice in the split` });
    });
  });

export type Sale = z.infer<typeof saleSchema>;
export type MemberDefault = z.infer<typeof memberDefaultSchema>;
export type Split = z.infer<typeof splitSchema>;
export type CalculateInput = z.input<typeof calculateInputSchema>;

export type CommissionLine = {
  teamMemberId: string;
  /** >= 0 here; clawback lines are negative. */
  amountMinor: number;
  currency: string;
  payoutBps: number;
  creditBps: number;
  /** The part of the sale credited to this member's volume (creditBps of the sale, rounded half-even). */
  creditedMinor: number;
  trace: TraceStep[];
};

export type HoldReason = { code: 'currency_mismatch' | 'no_rule'; reason: string };

export type CalculationResult = {
  lines: CommissionLine[];
  /** The sale's commission before the split (the sum of the lines). Absent when held. */
  totalMinor?: number;
  currency: string;
  /** Set when the engine will not compute an amount: a person has to look at the sale. */
  heldForReview?: HoldReason;
  /** The plan version used, if any. */
  plan?: { planId: string; version: number };
};

/** Throws a ZodError on input that breaks the schema (a programming error, not a business outcome). */
export function calculate(rawInput: CalculateInput): CalculationResult {
  const input = calculateInputSchema.parse(rawInput);
  const { sale, plan } = input;
  const planRef = plan ? { planId: plan.planId, version: plan.version } : undefined;

  if (plan && plan.currency !== sale.currency) {
    const reason = `the sale is in ${sale.currency} but plan ${plan.planId} v${plan.version} pays in ${plan.currency}; convert the sale or choose a plan in ${sale.currency}`;
    return { lines: [], currency: sale.currency, heldForReview: { code: 'currency_mismatch', reason }, plan: planRef };
  }

  const chosen = chooseRules(plan, sale);
  const steps: TraceStep[] = [...chosen.steps];
  let total: bigint;
  if (chosen.rules) {
    total = 0n;
    for (const rule of chosen.rules) {
      const result = evaluateRule(rule, { saleAmountMinor: sale.amountMinor, currency: sale.currency, periodVolumeBeforeMinor: input.period.volumeBeforeMinor });
      total += result.amount;
      steps.push(...result.steps);
    }
    total = applyCaps(total, plan!.caps, input.period.commissionToDateMinor, sale.currency, steps);
  } else if (input.memberDefault) {
    total = memberDefaultAmount(input.memberDefault, sale, steps);
  } else {
    const reason = plan
      ? `plan ${plan.planId} v${plan.version} has no rule for this sale and team member ${input.teamMemberId} has no commission rate`
      : `no commission plan applies and team member ${input.teamMemberId} has no commission rate`;
    return { lines: [], currency: sale.currency, heldForReview: { code: 'no_rule', reason }, plan: planRef };
  }

  const splits = input.splits ?? [{ teamMemberId: input.teamMemberId, creditBps: 10_000, payoutBps: 10_000 }];
  const lines = splitLines(total, splits, sale, steps);
  return { lines, totalMinor: toSafe(total), currency: sale.currency, plan: planRef };
}

function chooseRules(plan: PlanVersion | null, sale: Sale): { rules?: Rule[]; steps: TraceStep[] } {
  if (!plan) return { steps: [] };
  const planStep: TraceStep = { rule: 'plan', note: `plan ${plan.planId} v${plan.version} (effective ${plan.effectiveFrom})` };
  const override = matchOverride(plan.overrides, sale);
  if (override) {
    const what = [sale.productId && override.productIds ? `product ${sale.productId}` : '', sale.pipelineId && override.pipelineIds ? `pipeline ${sale.pipelineId}` : '']
      .filter(Boolean)
      .join(' in ');
    const note = override.rules.length ? `override ${override.id} applies to ${what}: its rules replace the plan's` : `override ${override.id} applies to ${what}: it pays no commission`;
    return { rules: override.rules, steps: [planStep, { rule: 'override', note }] };
  }
  if (plan.rules.length === 0) return { steps: [{ ...planStep, note: `${planStep.note} has no rule for this sale` }] };
  return { rules: plan.rules, steps: [planStep] };
}

function applyCaps(total: bigint, caps: Caps, commissionToDateMinor: number, currency: string, steps: TraceStep[]): bigint {
  let capped = total;
  if (caps.perDealMinor !== undefined && capped > BigInt(caps.perDealMinor)) {
    capped = BigInt(caps.perDealMinor);
    steps.push({ rule: 'cap-per-deal', base: toSafe(total), amountMinor: caps.perDealMinor, note: `capped at ${formatMinor(caps.perDealMinor, currency)} per deal` });
  }
  if (caps.perPeriodMinor !== undefined) {
    const room = BigInt(Math.max(0, caps.perPeriodMinor - commissionToDateMinor));
    if (capped > room) {
      steps.push({
        rule: 'cap-per-period',
        base: toSafe(capped),
        amountMinor: toSafe(room),
        note: `period cap ${formatMinor(caps.perPeriodMinor, currency)} with ${formatMinor(commissionToDateMinor, currency)} already earned this period leaves ${formatMinor(room, currency)}`,
      });
      capped = room;
    }
  }
  return capped;
}

function memberDefaultAmount(rate: MemberDefault, sale: Sale, steps: TraceStep[]): bigint {
  if (rate.type === 'flat') {
    steps.push({ rule: 'member-default', amountMinor: rate.amountMinor, note: `no plan rule applies: the team member's own flat ${formatMinor(rate.amountMinor, sale.currency)} per sale` });
    return BigInt(rate.amountMinor);
  }
  const amount = roundHalfEven(BigInt(sale.amountMinor) * BigInt(rate.rateBps), BPS_WHOLE);
  steps.push({
    rule: 'member-default',
    base: sale.amountMinor,
    rate: bpsText(rate.rateBps),
    rateBps: rate.rateBps,
    amountMinor: toSafe(amount),
    note: `no plan rule applies: the team member's own ${bpsText(rate.rateBps)} of ${formatMinor(sale.amountMinor, sale.currency)} = ${formatMinor(amount, sale.currency)}`,
  });
  return amount;
}

function splitLines(total: bigint, splits: Split[], sale: Sale, shared: TraceStep[]): CommissionLine[] {
  const shares = allocate(total, splits.map((s) => ({ key: s.teamMemberId, weight: BigInt(s.payoutBps) })));
  const single = splits.length === 1;
  return [...splits]
    .sort((a, b) => compareKeys(a.teamMemberId, b.teamMemberId))
    .map((split) => {
      const amount = shares.get(split.teamMemberId)!;
      const credited = roundHalfEven(BigInt(sale.amountMinor) * BigInt(split.creditBps), BPS_WHOLE);
      const trace: TraceStep[] = single
        ? [...shared]
        : [
            ...shared,
            {
              rule: 'split',
              base: toSafe(total),
              rate: bpsText(split.payoutBps),
              rateBps: split.payoutBps,
              amountMinor: toSafe(amount),
              note: `payout share ${bpsText(split.payoutBps)} of ${formatMinor(total, sale.currency)} = ${formatMinor(amount, sale.currency)}; credited ${bpsText(split.creditBps)} of the sale (${formatMinor(credited, sale.currency)})`,
            },
          ];
      return {
        teamMemberId: split.teamMemberId,
        amountMinor: toSafe(amount),
        currency: sale.currency,
        payoutBps: split.payoutBps,
        creditBps: split.creditBps,
        creditedMinor: toSafe(credited),
        trace,
      };
    });
}
