/*
 * The commission ledger as the API shows it: the response schemas of
 * notes/commissions-contract.md (the OpenAPI document is generated from them) and loaders that
 * read rows inside the caller's transaction. RLS decides what a caller sees: another
 * organization's rows, and a sales rep's colleagues' rows, are simply missing, so a loader
 * answers 404 for them exactly as for an id that never existed.
 *
 * Conversions, in one place: bigint columns arrive from the driver as strings and become
 * numbers only when they are safe integers (`minorFromDb`); timestamps are ISO strings;
 * calendar dates are read as text ('YYYY-MM-DD'), never through a JS Date.
 */
import { z } from 'zod';
import { planVersionSchema } from '../../commissions';
import type { Tx } from '../../db/tenant';
import { decodeCursor, page } from '../http/cursor';
import { HttpError } from '../http/errors';
import type { Services } from '../http/route';
import { temporalUiUrl } from '../routes/executions';

// ------------------------------------------------------------------------------------------
// Schemas
// ------------------------------------------------------------------------------------------
export const SALE_SOURCES = ['ghl_invoice', 'ghl_order', 'ghl_workflow', 'manual', 'api'] as const;
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

// ------------------------------------------------------------------------------------------
// Conversions
// ------------------------------------------------------------------------------------------
type DbBigint = string | number | bigint;

/** A bigint column as a number; refuses a value a JS number would round (never parseFloat). */
export function minorFromDb(value: DbBigint): number {
  const n = typeof value === 'string' && !/^-?\d+$/.test(value) ? Number.NaN : Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${String(value)} is not an integer within the safe range`);
  return n;
}
const minorOrNull = (value: DbBigint | null) => (value === null ? null : minorFromDb(value));
const iso = (value: Date) => value.toISOString();
const isoOrNull = (value: Date | null) => (value ? value.toISOString() : null);

/** The settings of an organization without a row yet: the column defaults of public.commission_settings. */
export const SETTINGS_DEFAULTS: StoredSettings = {
  timezone: 'UTC',
  attributionField: 'sales_rep_id',
  autoApproveMaxMinor: null,
  autoApproveCurrency: null,
  reminderAfterSeconds: 172_800,
  escalateAfterSeconds: 432_000,
  payoutFrequency: 'monthly',
  payoutAnchor: '2026-01-05',
  defaultPlanId: null,
};

/** 'YYYY-MM-DD' days in UTC, both inclusive, as a half-open range of instants on `column`. */
function dayRange(tx: Tx, column: string, from?: string, to?: string) {
  return tx`
    ${from ? tx`and ${tx(column)} >= (${from}::date)::timestamp at time zone 'UTC'` : tx``}
    ${to ? tx`and ${tx(column)} < (${to}::date + 1)::timestamp at time zone 'UTC'` : tx``}`;
}

// ------------------------------------------------------------------------------------------
// Sales
// ------------------------------------------------------------------------------------------
interface SaleRow {
  id: string;
  source: Sale['source'];
  external_id: string;
  contact_id: string | null;
  contact_name: string | null;
  ghl_opportunity_id: string | null;
  product_id: string | null;
  pipeline_id: string | null;
  team_member_id: string | null;
  team_member_name: string | null;
  amount_minor: DbBigint;
  currency: string;
  paid_at: Date;
  status: Sale['status'];
  refunded_minor: DbBigint;
  splits: Sale['splits'];
  original_amount_minor: DbBigint | null;
  workflow_id: string | null;
  created_at: Date;
  cursor_key: string;
}

const toSale = (r: SaleRow, ui: TemporalUi): Sale => ({
  id: r.id,
  source: r.source,
  externalId: r.external_id,
  contactId: r.contact_id,
  contactName: r.contact_name,
  ghlOpportunityId: r.ghl_opportunity_id,
  productId: r.product_id,
  pipelineId: r.pipeline_id,
  teamMemberId: r.team_member_id,
  teamMemberName: r.team_member_name,
  amountMinor: minorFromDb(r.amount_minor),
  currency: r.currency,
  paidAt: iso(r.paid_at),
  status: r.status,
  refundedMinor: minorFromDb(r.refunded_minor),
  splits: r.splits,
  originalAmountMinor: minorOrNull(r.original_amount_minor),
  workflowId: r.workflow_id,
  temporalUiUrl: temporalUiUrl(ui, r.workflow_id),
  createdAt: iso(r.created_at),
});

const selectSales = (tx: Tx, orgId: string) => tx`
  select s.id, s.source, s.external_id, s.contact_id, s.ghl_opportunity_id, s.product_id, s.pipeline_id, s.team_member_id,
    s.amount_minor, s.currency, s.paid_at, s.status, s.refunded_minor, s.splits, s.original_amount_minor, s.workflow_id,
    s.created_at, s.paid_at::text as cursor_key,
    coalesce(c.name, nullif(concat_ws(' ', c.first_name, c.last_name), '')) as contact_name,
    t.full_name as team_member_name
  from public.sales_transactions s
  left join public.contacts c on c.organization_id = s.organization_id and c.id = s.contact_id
  left join public.team_members t on t.organization_id = s.organization_id and t.id = s.team_member_id
  where s.organization_id = ${orgId}`;

/** One sale, or 404 (another organization's, a colleague's for a sales rep, or none). */
export async function loadSale(tx: Tx, orgId: string, id: string, ui: TemporalUi): Promise<Sale> {
  const [row] = await tx<SaleRow[]>`${selectSales(tx, orgId)} and s.id = ${id}`;
  if (!row) throw new HttpError(404, 'No such sale');
  return toSale(row, ui);
}

export interface SaleFilter {
  teamMemberId?: string;
  status?: Sale['status'];
  /** Only sales nobody is credited with yet. */
  unattributed?: boolean;
  /** paid_at, UTC days, both inclusive. */
  from?: string;
  to?: string;
  cursor?: string;
  limit: number;
}

/** Sales, most recently paid first. */
export async function loadSales(tx: Tx, orgId: string, filter: SaleFilter, ui: TemporalUi): Promise<Page<Sale>> {
  const after = decodeCursor(filter.cursor);
  const rows = await tx<SaleRow[]>`
    ${selectSales(tx, orgId)}
      ${filter.teamMemberId ? tx`and s.team_member_id = ${filter.teamMemberId}` : tx``}
      ${filter.status ? tx`and s.status = ${filter.status}` : tx``}
      ${filter.unattributed ? tx`and s.team_member_id is null` : tx``}
      ${dayRange(tx, 's.paid_at', filter.from, filter.to)}
      ${after ? tx`and (s.paid_at, s.id) < (${after.k}::timestamptz, ${after.id}::uuid)` : tx``}
    order by s.paid_at desc, s.id desc
    limit ${filter.limit + 1}`;
  const result = page(rows, filter.limit, (r) => r.cursor_key);
  return { items: result.items.map((r) => toSale(r, ui)), nextCursor: result.nextCursor };
}

interface RefundRow {
  id: string;
  external_id: string;
  amount_minor: DbBigint;
  reason: string | null;
  created_at: Date;
}
export const toRefund = (r: RefundRow): Refund => ({
  id: r.id,
  externalId: r.external_id,
  amountMinor: minorFromDb(r.amount_minor),
  reason: r.reason,
  createdAt: iso(r.created_at),
});

/** A sale's refunds, oldest first (or only the one named by `refundId`). */
export async function loadRefunds(tx: Tx, orgId: string, transactionId: string, refundId?: string): Promise<Refund[]> {
  const rows = await tx<RefundRow[]>`
    select id, external_id, amount_minor, reason, created_at from public.sales_refunds
    where organization_id = ${orgId} and transaction_id = ${transactionId} ${refundId ? tx`and id = ${refundId}` : tx``}
    order by created_at, id`;
  return rows.map(toRefund);
}

// ------------------------------------------------------------------------------------------
// Calculations
// ------------------------------------------------------------------------------------------
interface CalculationRow {
  id: string;
  transaction_id: string | null;
  team_member_id: string;
  team_member_name: string | null;
  plan_version_id: string | null;
  plan_name: string | null;
  kind: Calculation['kind'];
  amount_minor: DbBigint;
  currency: string;
  status: Calculation['status'];
  held_reason: string | null;
  approver_user_id: string | null;
  approver_email: string | null;
  decided_at: Date | null;
  comment: string | null;
  supersedes: string | null;
  clawback_of: string | null;
  trace: Calculation['trace'];
  created_at: Date;
  cursor_key: string;
  sale_id: string | null;
  sale_amount_minor: DbBigint | null;
  sale_currency: string | null;
  sale_paid_at: Date | null;
  sale_source: Sale['source'] | null;
  sale_external_id: string | null;
  sale_status: Sale['status'] | null;
  sale_refunded_minor: DbBigint | null;
  notifications: { kind: 'reminder' | 'escalation'; createdAt: string }[];
}

const toCalculation = (r: CalculationRow): Calculation => ({
  id: r.id,
  transactionId: r.transaction_id,
  teamMemberId: r.team_member_id,
  teamMemberName: r.team_member_name ?? '',
  planVersionId: r.plan_version_id,
  planName: r.plan_name,
  kind: r.kind,
  amountMinor: minorFromDb(r.amount_minor),
  currency: r.currency,
  status: r.status,
  heldReason: r.held_reason,
  approverUserId: r.approver_user_id,
  approverEmail: r.approver_email,
  decidedAt: isoOrNull(r.decided_at),
  comment: r.comment,
  supersedes: r.supersedes,
  clawbackOf: r.clawback_of,
  trace: r.trace,
  sale: r.sale_id
    ? {
        amountMinor: minorFromDb(r.sale_amount_minor!),
        currency: r.sale_currency!,
        paidAt: iso(r.sale_paid_at!),
        source: r.sale_source!,
        externalId: r.sale_external_id!,
        status: r.sale_status!,
        refundedMinor: minorFromDb(r.sale_refunded_minor!),
      }
    : null,
  notifications: r.notifications,
  createdAt: iso(r.created_at),
});

const selectCalculations = (tx: Tx, orgId: string) => tx`
  select c.id, c.transaction_id, c.team_member_id, t.full_name as team_member_name, c.plan_version_id, p.name as plan_name,
    c.kind, c.amount_minor, c.currency, c.status, c.held_reason, c.approver_user_id, u.email as approver_email, c.decided_at,
    c.comment, c.supersedes, c.clawback_of, c.trace, c.created_at, c.created_at::text as cursor_key,
    s.id as sale_id, s.amount_minor as sale_amount_minor, s.currency as sale_currency, s.paid_at as sale_paid_at,
    s.source as sale_source, s.external_id as sale_external_id, s.status as sale_status, s.refunded_minor as sale_refunded_minor,
    coalesce((select json_agg(json_build_object('kind', n.kind,
                'createdAt', to_char(n.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) order by n.created_at, n.id)
              from public.commission_notifications n
              where n.organization_id = c.organization_id and n.calculation_id = c.id), '[]'::json) as notifications
  from public.commission_calculations c
  left join public.team_members t on t.organization_id = c.organization_id and t.id = c.team_member_id
  left join public.commission_plan_versions v on v.organization_id = c.organization_id and v.id = c.plan_version_id
  left join public.commission_plans p on p.organization_id = v.organization_id and p.id = v.plan_id
  left join public.sales_transactions s on s.organization_id = c.organization_id and s.id = c.transaction_id
  left join app.org_member_profiles(${orgId}) u on u.user_id = c.approver_user_id
  where c.organization_id = ${orgId}`;

/** One calculation, or 404 (another organization's, a colleague's for a sales rep, or none). */
export async function loadCalculation(tx: Tx, orgId: string, id: string): Promise<Calculation> {
  const [row] = await tx<CalculationRow[]>`${selectCalculations(tx, orgId)} and c.id = ${id}`;
  if (!row) throw new HttpError(404, 'No such commission');
  return toCalculation(row);
}

export interface CalculationFilter {
  ids?: string[];
  transactionId?: string;
  teamMemberId?: string;
  statuses?: Calculation['status'][];
  kind?: Calculation['kind'];
  /** created_at, UTC days, both inclusive. */
  from?: string;
  to?: string;
  cursor?: string;
  /** Without a limit every matching row comes back (nextCursor null): for one sale's few rows. */
  limit?: number;
  /** Newest first (default), or oldest first (a sale's history). */
  order?: 'newest' | 'oldest';
}

/** Calculations the caller may see, filtered; paginated when `limit` is given. */
export async function loadCalculations(tx: Tx, orgId: string, filter: CalculationFilter = {}): Promise<Page<Calculation>> {
  const after = decodeCursor(filter.cursor);
  const oldest = filter.order === 'oldest';
  const rows = await tx<CalculationRow[]>`
    ${selectCalculations(tx, orgId)}
      ${filter.ids ? tx`and c.id = any (${filter.ids}::uuid[])` : tx``}
      ${filter.transactionId ? tx`and c.transaction_id = ${filter.transactionId}` : tx``}
      ${filter.teamMemberId ? tx`and c.team_member_id = ${filter.teamMemberId}` : tx``}
      ${filter.statuses?.length ? tx`and c.status = any (${filter.statuses}::text[])` : tx``}
      ${filter.kind ? tx`and c.kind = ${filter.kind}` : tx``}
      ${dayRange(tx, 'c.created_at', filter.from, filter.to)}
      ${after && oldest ? tx`and (c.created_at, c.id) > (${after.k}::timestamptz, ${after.id}::uuid)` : tx``}
      ${after && !oldest ? tx`and (c.created_at, c.id) < (${after.k}::timestamptz, ${after.id}::uuid)` : tx``}
    ${oldest ? tx`order by c.created_at, c.id` : tx`order by c.created_at desc, c.id desc`}
    ${filter.limit ? tx`limit ${filter.limit + 1}` : tx``}`;
  if (!filter.limit) return { items: rows.map(toCalculation), nextCursor: null };
  const result = page(rows, filter.limit, (r) => r.cursor_key);
  return { items: result.items.map(toCalculation), nextCursor: result.nextCursor };
}

// ------------------------------------------------------------------------------------------
// Payouts
// ------------------------------------------------------------------------------------------
interface PayoutRow {
  id: string;
  team_member_id: string;
  team_member_name: string | null;
  period_start: string;
  period_end: string;
  currency: string;
  total_minor: DbBigint;
  status: Payout['status'];
  locked_at: Date | null;
  locked_by: string | null;
  locked_by_email: string | null;
  paid_at: Date | null;
  paid_by: string | null;
  paid_by_email: string | null;
  item_count: number;
  created_at: Date;
  cursor_key: string;
}

const toPayout = (r: PayoutRow): Payout => ({
  id: r.id,
  teamMemberId: r.team_member_id,
  teamMemberName: r.team_member_name ?? '',
  periodStart: r.period_start,
  periodEnd: r.period_end,
  currency: r.currency,
  totalMinor: minorFromDb(r.total_minor),
  status: r.status,
  lockedAt: isoOrNull(r.locked_at),
  lockedBy: r.locked_by,
  lockedByEmail: r.locked_by_email,
  paidAt: isoOrNull(r.paid_at),
  paidBy: r.paid_by,
  paidByEmail: r.paid_by_email,
  itemCount: r.item_count,
  createdAt: iso(r.created_at),
});

const selectPayouts = (tx: Tx, orgId: string) => tx`
  select p.id, p.team_member_id, t.full_name as team_member_name, p.period_start::text as period_start,
    p.period_end::text as period_end, p.currency, p.total_minor, p.status, p.locked_at, p.locked_by, p.paid_at, p.paid_by,
    p.created_at, p.period_end::text as cursor_key, lu.email as locked_by_email, pu.email as paid_by_email,
    (select count(*)::int from public.commission_payout_items i where i.organization_id = p.organization_id and i.payout_id = p.id) as item_count
  from public.commission_payouts p
  left join public.team_members t on t.organization_id = p.organization_id and t.id = p.team_member_id
  left join app.org_member_profiles(${orgId}) lu on lu.user_id = p.locked_by
  left join app.org_member_profiles(${orgId}) pu on pu.user_id = p.paid_by
  where p.organization_id = ${orgId}`;

/** One payout (without its lines), or 404 (another organization's, a colleague's for a sales rep, or none). */
export async function loadPayout(tx: Tx, orgId: string, id: string): Promise<Payout> {
  const [row] = await tx<PayoutRow[]>`${selectPayouts(tx, orgId)} and p.id = ${id}`;
  if (!row) throw new HttpError(404, 'No such payout');
  return toPayout(row);
}

export interface PayoutFilter {
  ids?: string[];
  status?: Payout['status'];
  teamMemberId?: string;
  cursor?: string;
  limit?: number;
}

/** Payouts, latest period first; paginated when `limit` is given. */
export async function loadPayouts(tx: Tx, orgId: string, filter: PayoutFilter = {}): Promise<Page<Payout>> {
  const after = decodeCursor(filter.cursor);
  const rows = await tx<PayoutRow[]>`
    ${selectPayouts(tx, orgId)}
      ${filter.ids ? tx`and p.id = any (${filter.ids}::uuid[])` : tx``}
      ${filter.status ? tx`and p.status = ${filter.status}` : tx``}
      ${filter.teamMemberId ? tx`and p.team_member_id = ${filter.teamMemberId}` : tx``}
      ${after ? tx`and (p.period_end, p.id) < (${after.k}::date, ${after.id}::uuid)` : tx``}
    order by p.period_end desc, p.id desc
    ${filter.limit ? tx`limit ${filter.limit + 1}` : tx``}`;
  if (!filter.limit) return { items: rows.map(toPayout), nextCursor: null };
  const result = page(rows, filter.limit, (r) => r.cursor_key);
  return { items: result.items.map(toPayout), nextCursor: result.nextCursor };
}

interface PayoutItemRow {
  id: string;
  calculation_id: string | null;
  kind: PayoutItem['kind'];
  description: string | null;
  amount_minor: DbBigint;
  transaction_id: string | null;
  sale_external_id: string | null;
  sale_amount_minor: DbBigint | null;
  sale_paid_at: Date | null;
  created_at: Date;
}

/** A payout's lines in the order they were written (the caller has loaded the payout itself). */
export async function loadPayoutItems(tx: Tx, orgId: string, payoutId: string): Promise<PayoutItem[]> {
  const rows = await tx<PayoutItemRow[]>`
    select i.id, i.calculation_id, c.kind, i.description, i.amount_minor, c.transaction_id,
      s.external_id as sale_external_id, s.amount_minor as sale_amount_minor, s.paid_at as sale_paid_at, i.created_at
    from public.commission_payout_items i
    left join public.commission_calculations c on c.organization_id = i.organization_id and c.id = i.calculation_id
    left join public.sales_transactions s on s.organization_id = c.organization_id and s.id = c.transaction_id
    where i.organization_id = ${orgId} and i.payout_id = ${payoutId}
    order by i.created_at, i.id`;
  return rows.map((r) => ({
    id: r.id,
    calculationId: r.calculation_id,
    kind: r.kind,
    description: r.description,
    amountMinor: minorFromDb(r.amount_minor),
    transactionId: r.transaction_id,
    saleExternalId: r.sale_external_id,
    saleAmountMinor: minorOrNull(r.sale_amount_minor),
    paidAt: isoOrNull(r.sale_paid_at),
    createdAt: iso(r.created_at),
  }));
}

// ------------------------------------------------------------------------------------------
// Settings
// ------------------------------------------------------------------------------------------
interface SettingsRow {
  timezone: string;
  attribution_field: string;
  auto_approve_max_minor: DbBigint | null;
  auto_approve_currency: string | null;
  reminder_after_seconds: number;
  escalate_after_seconds: number;
  payout_frequency: Settings['payoutFrequency'];
  payout_anchor: string;
  default_plan_id: string | null;
}

export const toStoredSettings = (r: SettingsRow): StoredSettings => ({
  timezone: r.timezone,
  attributionField: r.attribution_field,
  autoApproveMaxMinor: minorOrNull(r.auto_approve_max_minor),
  autoApproveCurrency: r.auto_approve_currency,
  reminderAfterSeconds: r.reminder_after_seconds,
  escalateAfterSeconds: r.escalate_after_seconds,
  payoutFrequency: r.payout_frequency,
  payoutAnchor: r.payout_anchor,
  defaultPlanId: r.default_plan_id,
});

/** The settings columns, the anchor day as text: for `select` and `returning`. */
export const settingsColumns = (tx: Tx) => tx`
  timezone, attribution_field, auto_approve_max_minor, auto_approve_currency, reminder_after_seconds,
  escalate_after_seconds, payout_frequency, payout_anchor::text as payout_anchor, default_plan_id`;

/**
 * The organization's commission settings (SETTINGS_DEFAULTS while it has no row). Without
 * `nextPayoutAt`, which lives in Temporal: see nextPayoutAt() in payout-schedule.ts.
 */
export async function loadSettings(tx: Tx, orgId: string): Promise<StoredSettings> {
  const [row] = await tx<SettingsRow[]>`
    select ${settingsColumns(tx)} from public.commission_settings where organization_id = ${orgId}`;
  return row ? toStoredSettings(row) : { ...SETTINGS_DEFAULTS };
}
