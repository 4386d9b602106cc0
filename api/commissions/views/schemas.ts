// Response schemas of the commissions API (the OpenAPI document is generated from them) and their types.
import { z } from 'zod';
import { planVersionSchema } from '../../../commissions';
import type { Services } from '../../http/route';

// ------------------------------------------------------------------------------------------
// Schemas
// ------------------------------------------------------------------------------------------
export const SALE_SOURCES = ['ghl_invoice', 'ghl_order', 'ghl_workflow', 'manual', 'api', 'receipt'] as const;
export const SALE_STATUSES = ['paid', 'partially_refunded', 'refunded'] as const;
export const CALCULATION_KINDS = ['commission', 'clawback', 'adjustment'] as const;
export const CALCULATION_STATUSES = ['pending', 'approved', 'rejected', 'payable', 'paid', 'clawed_back', 'held', 'superseded'] as const;
export const PAYOUT_STATUSES = ['draft', 'locked', 'paid'] as const;
export const PAYOUT_FREQUENCIES = ['weekly', 'biweekly', 'monthly'] as const;

const money = z.number().int().describe('Integer minor units (cents for USD)');
const instant = z.string().describe('ISO 8601 instant');
const day = z.string().describe("Calendar day, 'YYYY-MM-DD'");

export const traceStepSchema = z.object({
  rule: z.string(),
  base: z.number().int().optional(),
  rate: z.string().optional(),
  rateBps: z.number().int().optional(),
  tier: z.number().int().optional(),
  amountMinor: z.number().int().optional(),
  note: z.string(),
});

export const splitSchema = z.object({ teamMemberId: z.string(), creditBps: z.number().int(), payoutBps: z.number().int() });

export const saleSchema = z.object({
  id: z.uuid(),
  source: z.enum(SALE_SOURCES),
  externalId: z.string(),
  contactId: z.uuid().nullable(),
  contactName: z.string().nullable(),
  ghlOpportunityId: z.string().nullable(),
  productId: z.string().nullable(),
  pipelineId: z.string().nullable(),
  teamMemberId: z.uuid().nullable().describe('Null: unattributed, a manager assigns someone'),
  teamMemberName: z.string().nullable(),
  amountMinor: money,
  currency: z.string(),
  paidAt: instant,
  status: z.enum(SALE_STATUSES),
  refundedMinor: money,
  splits: z.array(splitSchema).nullable().describe('Null: all to teamMemberId'),
  originalAmountMinor: money.nullable().describe('The amount first recorded, when a later delivery changed it'),
  workflowId: z.string().nullable().describe('The Temporal workflow that calculates this sale'),
  temporalUiUrl: z.string().nullable(),
  createdAt: instant,
});

export const refundSchema = z.object({ id: z.uuid(), externalId: z.string(), amountMinor: money, reason: z.string().nullable(), createdAt: instant });

export const calculationSchema = z.object({
  id: z.uuid(),
  transactionId: z.uuid().nullable().describe('Null only for a manual adjustment'),
  teamMemberId: z.uuid(),
  teamMemberName: z.string().describe("'' when the caller may not read team members"),
  planVersionId: z.uuid().nullable().describe("Null when the team member's own rate applied"),
  planName: z.string().nullable(),
  kind: z.enum(CALCULATION_KINDS),
  amountMinor: money.describe('Negative for a clawback'),
  currency: z.string(),
  status: z.enum(CALCULATION_STATUSES),
  heldReason: z.string().nullable(),
  approverUserId: z.uuid().nullable(),
  approverEmail: z.string().nullable(),
  decidedAt: instant.nullable(),
  comment: z.string().nullable(),
  supersedes: z.uuid().nullable(),
  clawbackOf: z.uuid().nullable(),
  trace: z.union([z.array(traceStepSchema), z.record(z.string(), z.unknown())]).describe('Why the amount is what it is, step by step'),
  sale: z
    .object({ amountMinor: money, currency: z.string(), paidAt: instant, source: z.enum(SALE_SOURCES), externalId: z.string(), status: z.enum(SALE_STATUSES), refundedMinor: money })
    .nullable()
    .describe('Null for an adjustment, or when the caller may not read the sale'),
  notifications: z.array(z.object({ kind: z.enum(['reminder', 'escalation']), createdAt: instant })),
  createdAt: instant,
});

export const payoutSchema = z.object({
  id: z.uuid(),
  teamMemberId: z.uuid(),
  teamMemberName: z.string(),
  periodStart: day,
  periodEnd: day,
  currency: z.string(),
  totalMinor: money.describe('May be negative: clawbacks beyond what the period earned'),
  status: z.enum(PAYOUT_STATUSES),
  lockedAt: instant.nullable(),
  lockedBy: z.uuid().nullable(),
  lockedByEmail: z.string().nullable(),
  paidAt: instant.nullable(),
  paidBy: z.uuid().nullable(),
  paidByEmail: z.string().nullable(),
  itemCount: z.number().int(),
  createdAt: instant,
});

export const payoutItemSchema = z.object({
  id: z.uuid(),
  calculationId: z.uuid().nullable().describe('Null for an adjustment line written on the payout'),
  kind: z.enum(CALCULATION_KINDS).nullable(),
  description: z.string().nullable(),
  amountMinor: money,
  transactionId: z.uuid().nullable(),
  saleExternalId: z.string().nullable(),
  saleAmountMinor: money.nullable(),
  paidAt: instant.nullable().describe("The sale's paid_at"),
  createdAt: instant,
});

export const planVersionResponseSchema = z.object({
  id: z.uuid(),
  version: z.number().int().describe('1-based, in order of effectiveFrom'),
  effectiveFrom: instant,
  currency: z.string(),
  rules: planVersionSchema.shape.rules,
  overrides: planVersionSchema.shape.overrides.unwrap(),
  caps: planVersionSchema.shape.caps.unwrap(),
  note: z.string().nullable(),
  used: z.boolean().describe('A calculation used it: it can no longer change or be deleted'),
  createdAt: instant,
});

export const planSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  isActive: z.boolean(),
  isDefault: z.boolean().describe("The organization's default plan (settings.defaultPlanId)"),
  memberIds: z.array(z.uuid()),
  currentVersion: planVersionResponseSchema.nullable().describe('The version in force now; null while every version starts in the future'),
  versionCount: z.number().int(),
  createdAt: instant,
  updatedAt: instant,
});

export const settingsSchema = z.object({
  timezone: z.string().describe('IANA name; payout periods are calendar days here'),
  attributionField: z.string(),
  autoApproveMaxMinor: money.nullable(),
  autoApproveCurrency: z.string().nullable(),
  reminderAfterSeconds: z.number().int(),
  escalateAfterSeconds: z.number().int(),
  payoutFrequency: z.enum(PAYOUT_FREQUENCIES),
  payoutAnchor: day,
  defaultPlanId: z.uuid().nullable(),
  nextPayoutAt: instant.nullable().describe('From the Temporal schedule; null when there is none'),
});
/** What the database holds; `nextPayoutAt` comes from Temporal (api/commissions/payout-schedule.ts). */
export const storedSettingsSchema = settingsSchema.omit({ nextPayoutAt: true });

export type Sale = z.infer<typeof saleSchema>;
export type Refund = z.infer<typeof refundSchema>;
export type Calculation = z.infer<typeof calculationSchema>;
export type Payout = z.infer<typeof payoutSchema>;
export type PayoutItem = z.infer<typeof payoutItemSchema>;
export type PlanVersionResponse = z.infer<typeof planVersionResponseSchema>;
export type Plan = z.infer<typeof planSchema>;
export type Settings = z.infer<typeof settingsSchema>;
export type StoredSettings = z.infer<typeof storedSettingsSchema>;
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
/** Where Temporal UI links point (Services['temporalUi']). */
export type TemporalUi = Services['temporalUi'];
