/*
 * "What would this pay": the plan editor's live preview. Runs a (possibly unsaved) plan over
 * sample sale amounts in the plan's currency, with the same engine as real sales.
 */
import { calculate, type CalculationResult } from './calculate';
import { roundHalfEven } from './money';
import type { PlanVersionInput } from './plan';
import type { TraceStep } from './trace';

export type PreviewOptions = {
  productId?: string;
  pipelineId?: string;
  /** The period so far (tiers, period cap); zero when left out. */
  period?: { volumeBeforeMinor?: number; commissionToDateMinor?: number };
};

export type PreviewRow = {
  saleAmountMinor: number;
  /** Absent when the sale would be held for review. */
  commissionMinor?: number;
  /** The commission as basis points of the sale, rounded half-even (for display). */
  effectiveBps?: number;
  heldForReview?: CalculationResult['heldForReview'];
  trace: TraceStep[];
};

/** Each sample is priced on its own, against the same period (samples do not add up). */
export function previewPlan(plan: PlanVersionInput, sampleAmountsMinor: readonly number[], options: PreviewOptions = {}): PreviewRow[] {
  return sampleAmountsMinor.map((amountMinor) => {
    const result = calculate({
      sale: { amountMinor, currency: plan.currency, productId: options.productId, pipelineId: options.pipelineId },
      teamMemberId: 'preview',
      plan,
      period: { volumeBeforeMinor: options.period?.volumeBeforeMinor ?? 0, commissionToDateMinor: options.period?.commissionToDateMinor ?? 0 },
    });
    const line = result.lines[0];
    if (result.heldForReview || !line) return { saleAmountMinor: amountMinor, heldForReview: result.heldForReview, trace: [{ rule: 'hold', note: result.heldForReview?.reason ?? 'no commission' }] };
    const effectiveBps = amountMinor === 0 ? 0 : Number(roundHalfEven(BigInt(line.amountMinor) * 10_000n, BigInt(amountMinor)));
    return { saleAmountMinor: amountMinor, commissionMinor: line.amountMinor, effectiveBps, trace: line.trace };
  });
}
