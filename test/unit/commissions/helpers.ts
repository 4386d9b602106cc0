import type { PlanVersionInput, Rule } from '../../../commissions';

/** A USD plan version effective from the start of 2026 with the given rules. */
export function planWith(rules: Rule[], extra: Partial<PlanVersionInput> = {}): PlanVersionInput {
  return { planId: 'plan-a', version: 1, effectiveFrom: '2026-01-01T00:00:00Z', currency: 'USD', rules, ...extra };
}

export const pct = (id: string, rateBps: number): Rule => ({ kind: 'percentage', id, rateBps });
export const flat = (id: string, amountMinor: number): Rule => ({ kind: 'flat', id, amountMinor });

/** 0-1,000.00 at 5%, 1,000.00-5,000.00 at 8%, from 5,000.00 at 10%. */
export const tiered = (mode: 'marginal' | 'retroactive', id = 'tiers'): Rule => ({
  kind: 'tiered',
  id,
  mode,
  tiers: [
    { fromMinor: 0, rateBps: 500 },
    { fromMinor: 100_000, rateBps: 800 },
    { fromMinor: 500_000, rateBps: 1000 },
  ],
});

export const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
