// Commissions, sales and payouts as the web app reads them. The API contract is
// notes/commissions-contract.md; rules, overrides, caps, preview rows and trace steps are the
// rules engine's own types (commissions/), so the plan editor and the API cannot drift apart.
// Money is always integer minor units beside an ISO 4217 currency.
import type { Caps, Override, Rule } from '../../../commissions/plan';
import type { PreviewRow } from '../../../commissions/preview';
import type { TraceStep } from '../../../commissions/trace';
import { api } from './client';
import { orgPath } from './orgs';
import { ApiError, toProblem, unreachable } from './problem';
import { getSession } from './session';
import type { Page } from './types';

export type { Caps, Override, PreviewRow, Rule, TraceStep };

// ---------------------------------------------------------------- settings

export type PayoutFrequency = 'weekly' | 'biweekly' | 'monthly';

export interface CommissionSettings {
  timezone: string;
  attributionField: string;
  autoApproveMaxMinor: number | null;
  autoApproveCurrency: string | null;
  reminderAfterSeconds: number;
  escalateAfterSeconds: number;
  payoutFrequency: PayoutFrequency;
  /** YYYY-MM-DD: a day on which a payout period starts. */
  payoutAnchor: string;
  defaultPlanId: string | null;
  /** When the payout schedule runs next (ISO); null when there is no schedule. */
  nextPayoutAt: string | null;
}

export type CommissionSettingsChanges = Partial<Omit<CommissionSettings, 'nextPayoutAt'>>;

// ---------------------------------------------------------------- plans

/** What the editor sends for a new version. */
export interface VersionInput {
  effectiveFrom: string;
  currency: string;
  rules: Rule[];
  overrides?: Override[];
  caps?: Caps;
  note?: string;
}

export interface PlanVersion {
  id: string;
  /** 1-based, in effectiveFrom order. */
  version: number;
  effectiveFrom: string;
  currency: string;
  rules: Rule[];
  overrides: Override[];
  caps: Caps;
  note: string | null;
  /** A calculation used it: it can no longer change (a change is a new version). */
  used: boolean;
  createdAt: string;
}

export interface CommissionPlan {
  id: string;
  name: string;
  description: string | null;
  isActive: boolean;
  isDefault: boolean;
  memberIds: string[];
  currentVersion: PlanVersion | null;
  versionCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface CommissionPlanDetail extends CommissionPlan {
  /** Newest first. */
  versions: PlanVersion[];
}

export interface PlanChanges {
  name?: string;
  description?: string;
  isActive?: boolean;
  memberIds?: string[];
}

export interface NewPlan extends PlanChanges {
  name: string;
  version: VersionInput;
}

export interface PreviewRequest {
  version: Pick<VersionInput, 'currency' | 'rules' | 'overrides' | 'caps'>;
  /** 1 to 50 sample sale amounts. */
  samplesMinor: number[];
  productId?: string;
  pipelineId?: string;
  volumeBeforeMinor?: number;
  commissionToDateMinor?: number;
}

// ---------------------------------------------------------------- sales

export type SaleSource = 'ghl_invoice' | 'ghl_order' | 'ghl_workflow' | 'manual' | 'api' | 'receipt';
export type SaleStatus = 'paid' | 'partially_refunded' | 'refunded';

export interface Split {
  teamMemberId: string;
  /** Share of the sale credited to the member's volume (tiers, quota). */
  creditBps: number;
  /** Share of the commission paid to the member; the shares add up to 100 %. */
  payoutBps: number;
}

export interface Sale {
  id: string;
  source: SaleSource;
  externalId: string | null;
  contactId: string | null;
  contactName: string | null;
  ghlOpportunityId: string | null;
  productId: string | null;
  pipelineId: string | null;
  teamMemberId: string | null;
  teamMemberName: string | null;
  amountMinor: number;
  currency: string;
  paidAt: string;
  status: SaleStatus;
  refundedMinor: number;
  splits: Split[] | null;
  originalAmountMinor: number | null;
  workflowId: string | null;
  temporalUiUrl: string | null;
  createdAt: string;
}

export interface Refund {
  id: string;
  externalId: string | null;
  amountMinor: number;
  reason: string | null;
  createdAt: string;
}

export interface SaleDetail extends Sale {
  calculations: Calculation[];
  refunds: Refund[];
}

export interface SaleQuery {
  teamMemberId?: string;
  status?: SaleStatus;
  unattributed?: boolean;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

export interface NewSale {
  externalId?: string;
  amountMinor: number;
  currency: string;
  paidAt?: string;
  teamMemberId?: string;
  contactId?: string;
  ghlOpportunityId?: string;
  productId?: string;
  pipelineId?: string;
  splits?: Split[];
}

export interface NewRefund {
  amountMinor: number;
  externalId?: string;
  reason?: string;
}

export interface RefundRecorded {
  refund: Refund;
  sale: Sale;
  clawbacks: Calculation[];
}

// ---------------------------------------------------------------- commissions

export type CalculationKind = 'commission' | 'clawback' | 'adjustment';
export type CalculationStatus = 'pending' | 'approved' | 'rejected' | 'payable' | 'paid' | 'clawed_back' | 'held' | 'superseded';

export interface Calculation {
  id: string;
  transactionId: string | null;
  teamMemberId: string;
  teamMemberName: string;
  planVersionId: string | null;
  planName: string | null;
  kind: CalculationKind;
  amountMinor: number;
  currency: string;
  status: CalculationStatus;
  heldReason: string | null;
  approverUserId: string | null;
  approverEmail: string | null;
  decidedAt: string | null;
  comment: string | null;
  supersedes: string | null;
  clawbackOf: string | null;
  /** The engine's steps; older rows may hold another JSON shape. */
  trace: TraceStep[] | Record<string, unknown>;
  sale: { amountMinor: number; currency: string; paidAt: string; source: SaleSource; externalId: string | null; status: SaleStatus; refundedMinor: number } | null;
  notifications: { kind: 'reminder' | 'escalation'; createdAt: string }[];
  createdAt: string;
}

export interface CalculationQuery {
  /** One status or several. */
  status?: CalculationStatus | CalculationStatus[];
  teamMemberId?: string;
  kind?: CalculationKind;
  from?: string;
  to?: string;
  transactionId?: string;
  cursor?: string;
  limit?: number;
}

export interface BulkApproveResult {
  id: string;
  ok: boolean;
  calculation?: Calculation;
  problem?: { status: number; title: string; detail?: string };
}

export interface EarningsPeriod {
  /** YYYY-MM */
  period: string;
  pendingMinor: number;
  approvedMinor: number;
  paidMinor: number;
  clawedBackMinor: number;
}

export interface EarningsSummary {
  /** null when there is nothing to sum yet. */
  currency: string | null;
  periods: EarningsPeriod[];
}

// ---------------------------------------------------------------- payouts

export type PayoutStatus = 'draft' | 'locked' | 'paid';

export interface Payout {
  id: string;
  teamMemberId: string;
  teamMemberName: string;
  periodStart: string;
  periodEnd: string;
  currency: string;
  totalMinor: number;
  status: PayoutStatus;
  lockedAt: string | null;
  lockedBy: string | null;
  lockedByEmail: string | null;
  paidAt: string | null;
  paidBy: string | null;
  paidByEmail: string | null;
  itemCount: number;
  createdAt: string;
}

export interface PayoutItem {
  id: string;
  calculationId: string | null;
  kind: CalculationKind | null;
  description: string | null;
  amountMinor: number;
  transactionId: string | null;
  saleExternalId: string | null;
  saleAmountMinor: number | null;
  /** When the sale was paid. */
  paidAt: string | null;
  createdAt: string;
}

export interface PayoutDetail extends Payout {
  items: PayoutItem[];
}

export interface PayoutRun {
  workflowId: string;
  periodStart: string;
  periodEnd: string;
  payouts: Payout[];
}

// ---------------------------------------------------------------- calls

const org = (orgId: string) => orgPath(orgId);
const id = (value: string) => encodeURIComponent(value);

export function getCommissionSettings(orgId: string, signal?: AbortSignal): Promise<CommissionSettings> {
  return api('GET', `${org(orgId)}/commission-settings`, { signal });
}

export function updateCommissionSettings(orgId: string, changes: CommissionSettingsChanges): Promise<CommissionSettings> {
  return api('PATCH', `${org(orgId)}/commission-settings`, { body: changes });
}

export function listPlans(orgId: string, signal?: AbortSignal): Promise<{ items: CommissionPlan[] }> {
  return api('GET', `${org(orgId)}/commission-plans`, { signal });
}

export function getPlan(orgId: string, planId: string, signal?: AbortSignal): Promise<CommissionPlanDetail> {
  return api('GET', `${org(orgId)}/commission-plans/${id(planId)}`, { signal });
}

export function createPlan(orgId: string, plan: NewPlan): Promise<CommissionPlan> {
  return api('POST', `${org(orgId)}/commission-plans`, { body: plan });
}

export function updatePlan(orgId: string, planId: string, changes: PlanChanges): Promise<CommissionPlan> {
  return api('PATCH', `${org(orgId)}/commission-plans/${id(planId)}`, { body: changes });
}

export function addPlanVersion(orgId: string, planId: string, version: VersionInput): Promise<PlanVersion> {
  return api('POST', `${org(orgId)}/commission-plans/${id(planId)}/versions`, { body: version });
}

export function deletePlan(orgId: string, planId: string): Promise<void> {
  return api('DELETE', `${org(orgId)}/commission-plans/${id(planId)}`);
}

export function previewPlan(orgId: string, request: PreviewRequest, signal?: AbortSignal): Promise<{ rows: PreviewRow[] }> {
  return api('POST', `${org(orgId)}/commission-plans/preview`, { body: request, signal });
}

export function listSales(orgId: string, params: SaleQuery, signal?: AbortSignal): Promise<Page<Sale>> {
  const { unattributed, ...rest } = params;
  return api('GET', `${org(orgId)}/sales-transactions`, { query: { ...rest, unattributed: unattributed ? 'true' : undefined }, signal });
}

export function getSale(orgId: string, saleId: string, signal?: AbortSignal): Promise<SaleDetail> {
  return api('GET', `${org(orgId)}/sales-transactions/${id(saleId)}`, { signal });
}

export function createSale(orgId: string, sale: NewSale): Promise<Sale> {
  return api('POST', `${org(orgId)}/sales-transactions`, { body: sale });
}

export function assignSale(orgId: string, saleId: string, teamMemberId: string): Promise<Sale> {
  return api('POST', `${org(orgId)}/sales-transactions/${id(saleId)}/assign`, { body: { teamMemberId } });
}

export function recordRefund(orgId: string, saleId: string, refund: NewRefund): Promise<RefundRecorded> {
  return api('POST', `${org(orgId)}/sales-transactions/${id(saleId)}/refunds`, { body: refund });
}

/** Corrects a sale's amount (the same amount prices it again); changed commissions wait for a new decision. */
export function correctSale(orgId: string, saleId: string, amountMinor: number): Promise<Sale> {
  return api('POST', `${org(orgId)}/sales-transactions/${id(saleId)}/correct`, { body: { amountMinor } });
}

export function listCalculations(orgId: string, params: CalculationQuery, signal?: AbortSignal): Promise<Page<Calculation>> {
  const { status, ...rest } = params;
  return api('GET', `${org(orgId)}/commissions`, { query: { ...rest, status: Array.isArray(status) ? status.join(',') : status }, signal });
}

export function getEarningsSummary(orgId: string, params: { teamMemberId?: string; months?: number }, signal?: AbortSignal): Promise<EarningsSummary> {
  return api('GET', `${org(orgId)}/commissions/summary`, { query: params, signal });
}

export function getCalculation(orgId: string, calculationId: string, signal?: AbortSignal): Promise<Calculation> {
  return api('GET', `${org(orgId)}/commissions/${id(calculationId)}`, { signal });
}

export function approveCalculation(orgId: string, calculationId: string, comment?: string): Promise<Calculation> {
  return api('POST', `${org(orgId)}/commissions/${id(calculationId)}/approve`, { body: comment ? { comment } : {} });
}

export function rejectCalculation(orgId: string, calculationId: string, comment: string): Promise<Calculation> {
  return api('POST', `${org(orgId)}/commissions/${id(calculationId)}/reject`, { body: { comment } });
}

/** The API takes at most this many ids per bulk approval. */
export const BULK_APPROVE_MAX = 200;

export function approveCalculations(orgId: string, ids: string[], comment?: string): Promise<{ results: BulkApproveResult[] }> {
  return api('POST', `${org(orgId)}/commissions/approve`, { body: comment ? { ids, comment } : { ids } });
}

export function listPayouts(orgId: string, params: { status?: PayoutStatus; teamMemberId?: string; cursor?: string; limit?: number }, signal?: AbortSignal): Promise<Page<Payout>> {
  return api('GET', `${org(orgId)}/payouts`, { query: params, signal });
}

export function getPayout(orgId: string, payoutId: string, signal?: AbortSignal): Promise<PayoutDetail> {
  return api('GET', `${org(orgId)}/payouts/${id(payoutId)}`, { signal });
}

export function lockPayout(orgId: string, payoutId: string): Promise<Payout> {
  return api('POST', `${org(orgId)}/payouts/${id(payoutId)}/lock`, { body: {} });
}

export function markPayoutPaid(orgId: string, payoutId: string, paidAt?: string): Promise<Payout> {
  return api('POST', `${org(orgId)}/payouts/${id(payoutId)}/mark-paid`, { body: paidAt ? { paidAt } : {} });
}

/** Runs the payout batch for the period ending on or before `periodEnd` (default: the current period so far). */
export function runPayouts(orgId: string, periodEnd?: string): Promise<PayoutRun> {
  return api('POST', `${org(orgId)}/payouts/run`, { body: periodEnd ? { periodEnd } : {} });
}

/** Where the statement lives; fetching it needs the bearer token, so a plain link will not do. */
export function statementCsvUrl(orgId: string, payoutId: string): string {
  return `/api/v1${org(orgId)}/payouts/${id(payoutId)}/statement.csv`;
}

/**
 * The payout's statement as a file. `api()` reads JSON only, so the CSV is fetched here; asking
 * for the payout through `api()` first lets the client renew a session about to lapse (or send
 * a signed-out user to the login page), so the token read right after is a live one.
 */
export async function fetchStatementCsv(orgId: string, payoutId: string): Promise<{ blob: Blob; filename: string }> {
  await getPayout(orgId, payoutId);
  const token = getSession()?.accessToken;
  let res: Response;
  try {
    res = await fetch(statementCsvUrl(orgId, payoutId), {
      headers: { accept: 'text/csv, application/problem+json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
  } catch (err) {
    throw unreachable(err);
  }
  if (!res.ok) {
    const body: unknown = await res.json().catch(() => undefined);
    throw new ApiError(toProblem(res.status, res.statusText, body));
  }
  return { blob: await res.blob(), filename: attachmentName(res.headers.get('content-disposition')) ?? `payout-${payoutId}.csv` };
}

/** The file name of `Content-Disposition: attachment; filename="x.csv"`, if it names one. */
export function attachmentName(disposition: string | null): string | undefined {
  const match = disposition && /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}
