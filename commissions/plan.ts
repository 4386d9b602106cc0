/*
 * A commission plan, as the plan editor saves it and the engine reads it. A plan has versions;
 * each version is effective from an instant, and a sale is calculated with the version in force
 * at its paid_at (`selectPlanVersion`). Flat amounts and caps are in the plan's currency.
 */
import { z } from 'zod';
import { bpsSchema, currencySchema, minorUnitsSchema } from './money';

const ruleId = z.string().min(1).max(100);

export const percentageRuleSchema = z
  .object({ kind: z.literal('percentage'), id: ruleId, rateBps: bpsSchema })
  .strict();

export const flatRuleSchema = z
  .object({ kind: z.literal('flat'), id: ruleId, amountMinor: minorUnitsSchema })
  .strict();

export const tierSchema = z.object({ fromMinor: minorUnitsSchema, rateBps: bpsSchema }).strict();

/**
 * Tiers by the period's volume. `marginal`: each part of the sale earns the rate of the tier
 * that part of the volume falls in. `retroactive`: once the period volume reaches a tier, the
 * whole period volume earns that tier's rate, so this sale also carries the true-up of earlier
 * sales in the period. Rates may not fall from one tier to the next: a falling retroactive rate
 * would take money back from a sale, which only a clawback may do.
 */
export const tieredRuleSchema = z
  .object({
    kind: z.literal('tiered'),
    id: ruleId,
    mode: z.enum(['marginal', 'retroactive']),
    tiers: z.array(tierSchema).min(1).max(50),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.tiers[0]?.fromMinor !== 0) ctx.addIssue({ code: 'custom', path: ['tiers', 0, 'fromMinor'], message: 'the first tier starts at 0' });
    rule.tiers.forEach((tier, i) => {
      const previous = rule.tiers[i - 1];
      if (!previous) return;
      if (tier.fromMinor <= previous.fromMinor) ctx.addIssue({ code: 'custom', path: ['tiers', i, 'fromMinor'], message: 'tiers must start at increasing volumes' });
      if (tier.rateBps < previous.rateBps) ctx.addIssue({ code: 'custom', path: ['tiers', i, 'rateBps'], message: 'a tier rate may not be lower than the tier before it' });
    });
  });

export const ruleSchema = z.discriminatedUnion('kind', [percentageRuleSchema, flatRuleSchema, tieredRuleSchema]);

/**
 * Rules for particular products or pipelines. An override matches when the sale's product is
 * in `productIds` (if given) AND its pipeline is in `pipelineIds` (if given). The FIRST matching
 * override in list order wins and its rules replace the plan's base rules; later ones are not
 * looked at. Order the list from most specific to least.
 */
export const overrideSchema = z
  .object({
    id: ruleId,
    productIds: z.array(z.string().min(1)).min(1).optional(),
    pipelineIds: z.array(z.string().min(1)).min(1).optional(),
    rules: z.array(ruleSchema).max(20),
  })
  .strict()
  .refine((o) => o.productIds || o.pipelineIds, { message: 'an override names products, pipelines or both' });

/** Caps on a sale's commission (before it is split): per deal, and per period together with the period's earlier commission. */
export const capsSchema = z
  .object({ perDealMinor: minorUnitsSchema.optional(), perPeriodMinor: minorUnitsSchema.optional() })
  .strict();

export const planVersionSchema = z
  .object({
    planId: z.string().min(1),
    version: z.number().int().min(1),
    /** ISO 8601 instant from which this version applies (inclusive). */
    effectiveFrom: z.iso.datetime({ offset: true }),
    currency: currencySchema,
    rules: z.array(ruleSchema).max(20),
    overrides: z.array(overrideSchema).max(100).default([]),
    caps: capsSchema.default({}),
  })
  .strict();

export type PercentageRule = z.infer<typeof percentageRuleSchema>;
export type FlatRule = z.infer<typeof flatRuleSchema>;
export type TieredRule = z.infer<typeof tieredRuleSchema>;
export type Tier = z.infer<typeof tierSchema>;
export type Rule = z.infer<typeof ruleSchema>;
export type Override = z.infer<typeof overrideSchema>;
export type Caps = z.infer<typeof capsSchema>;
/** A parsed plan version (defaults filled in). */
export type PlanVersion = z.infer<typeof planVersionSchema>;
/** A plan version as written by the editor (overrides and caps may be left out). */
export type PlanVersionInput = z.input<typeof planVersionSchema>;

/**
 * The version in force at `paidAt`: the one with the latest `effectiveFrom` not after it
 * (ties: the higher version number). None when the sale predates every version.
 */
export function selectPlanVersion<V extends { version: number; effectiveFrom: string }>(versions: readonly V[], paidAt: string): V | undefined {
  const paid = Date.parse(paidAt);
  if (Number.isNaN(paid)) throw new RangeError(`paidAt is not a date: ${paidAt}`);
  let chosen: V | undefined;
  for (const v of versions) {
    const from = Date.parse(v.effectiveFrom);
    if (from > paid) continue;
    if (!chosen) chosen = v;
    else {
      const chosenFrom = Date.parse(chosen.effectiveFrom);
      if (from > chosenFrom || (from === chosenFrom && v.version > chosen.version)) chosen = v;
    }
  }
  return chosen;
}

/** The first override matching the sale, or none. */
export function matchOverride(overrides: readonly Override[], sale: { productId?: string | undefined; pipelineId?: string | undefined }): Override | undefined {
  return overrides.find(
    (o) =>
      (!o.productIds || (sale.productId !== undefined && o.productIds.includes(sale.productId))) &&
      (!o.pipelineIds || (sale.pipelineId !== undefined && o.pipelineIds.includes(sale.pipelineId))),
  );
}
