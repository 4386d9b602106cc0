// The commission rules engine: pure and deterministic (no I/O, clock or randomness), so the
// API, the plan editor's preview and the commission workflow all run the same code.
export { calculate, calculateInputSchema, memberDefaultSchema, saleSchema, splitSchema } from './calculate';
export type { CalculateInput, CalculationResult, CommissionLine, HoldReason, MemberDefault, Sale, Split } from './calculate';
export { clawback } from './clawback';
export type { ClawbackLine, PreviousClawbacks, OriginalLine } from './clawback';
export { allocate, bpsText, roundHalfEven } from './money';
export { matchOverride, planVersionSchema, ruleSchema, selectPlanVersion } from './plan';
export type { Caps, Override, PlanVersion, PlanVersionInput, Rule, Tier } from './plan';
export { previewPlan } from './preview';
export type { PreviewOptions, PreviewRow } from './preview';
export { memberDefaultFromRow } from './member-default';
export { formatMinor } from './trace';
export type { TraceStep } from './trace';
export { addDays, currentPeriod, isPeriodStart, lastCompletePeriod, periodEndingBy } from './periods';
export type { PayoutFrequency, PayoutPeriod } from './periods';
