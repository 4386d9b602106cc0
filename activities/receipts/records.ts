/*
 * What the receipt workflow writes: the reading, the review it needs, a failure, and a person's
 * decision with the sale it records or corrects. Every write is idempotent (a retried activity
 * finds the state the first attempt left) and runs as the worker role for the receipt's
 * organization, so RLS bounds it like a user's request.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Sql } from '../../db/client';
import type { Tx } from '../../db/tenant';
import { extractedReceiptSchema, reviewOf, type Confidence, type ExtractedReceipt } from '../../receipts/extraction';
import type { SaleInput } from '../commissions/ghl-payments';
import { commissionWorkflowId } from '../../workflows/commissions/messages';
import { asWorker, notFound, toJsonText } from '../db/support';

export interface ReceiptReading {
  extracted: ExtractedReceipt;
  confidence: Confidence;
  problems: { field: string; message: string }[];
  model: string;
}

export interface ReceiptSettings {
  autoConfirm: boolean;
  minConfidenceBps: number;
  createSales: boolean;
}
export const DEFAULT_RECEIPT_SETTINGS: ReceiptSettings = { autoConfirm: false, minConfidenceBps: 8000, createSales: true };

export async function loadReceiptSettings(tx: Tx, orgId: string): Promise<ReceiptSettings> {
  const [row] = await tx<{ auto_confirm: boolean; min_confidence_bps: number; create_sales: boolean }[]>`
    select auto_confirm, min_confidence_bps, create_sales from public.receipt_settings where organization_id = ${orgId}`;
  return row ? { autoConfirm: row.auto_confirm, minConfidenceBps: row.min_confidence_bps, createSales: row.create_sales } : DEFAULT_RECEIPT_SETTINGS;
}

interface ReceiptRow {
  status: string;
  deleted_at: Date | null;
  extracted: ExtractedReceipt | null;
  contact_id: string | null;
  ghl_opportunity_id: string;
  sale_id: string | null;
}

async function lockedReceipt(tx: Tx, orgId: string, receiptId: string): Promise<ReceiptRow> {
  const [row] = await tx<ReceiptRow[]>`
    select status, deleted_at, extracted, contact_id, ghl_opportunity_id, sale_id from public.opportunity_receipts
    where organization_id = ${orgId} and id = ${receiptId} for update`;
  if (!row) throw notFound(`Receipt ${receiptId}`);
  return row;
}

export interface ConfirmInput {
  orgId: string;
  receiptId: string;
  /** Null: confirmed automatically under the organization's settings. */
  userId: string | null;
  edits: Partial<ExtractedReceipt> | null;
  createSale: boolean;
  /** The id a correction of an existing sale runs under (chosen by the workflow, deterministic). */
  correctionWorkflowId: string;
}

export interface ConfirmOutcome {
  saleId: string | null;
  /** A new sale to price: the workflow starts its commission workflow. */
  commission: { sale: SaleInput; workflowId: string } | null;
  /** An existing sale whose amount changed: the workflow starts its correction. */
  correction: { transactionId: string; workflowId: string } | null;
}

/** The one sale of this receipt's opportunity from another source (GHL, manual), if exactly one. */
async function opportunitySale(tx: Tx, orgId: string, opportunityId: string) {
  const rows = await tx<{ id: string; amount_minor: string; currency: string; refunded_minor: string; team_member_id: string | null }[]>`
    select id, amount_minor::text, currency, refunded_minor::text, team_member_id from public.sales_transactions
    where organization_id = ${orgId} and ghl_opportunity_id = ${opportunityId} and source <> 'receipt'
    limit 2`;
  return rows.length === 1 ? rows[0]! : null;
}

export function createReceiptRecordActivities(deps: { sql: Sql }) {
  const { sql } = deps;
  return {
    /** Marks the receipt as being read; says whether there is anything left to do. */
    async beginReceiptReading(input: { orgId: string; receiptId: string }): Promise<{ status: string; deleted: boolean }> {
      return asWorker(sql, input.orgId, async (tx) => {
        const row = await lockedReceipt(tx, input.orgId, input.receiptId);
        if (row.deleted_at) return { status: row.status, deleted: true };
        if (row.status === 'uploaded' || row.status === 'failed') {
          await tx`update public.opportunity_receipts set status = 'processing', failure_reason = null where organization_id = ${input.orgId} and id = ${input.receiptId}`;
          return { status: 'processing', deleted: false };
        }
        return { status: row.status, deleted: false };
      });
    },

    /**
     * Keeps what the model read and decides whether a person must look. Returns autoConfirm
     * when the organization confirms trusted readings itself (the workflow then confirms).
     */
    async recordReceiptReading(input: { orgId: string; receiptId: string; reading: ReceiptReading }): Promise<{ autoConfirm: boolean; createSales: boolean }> {
      const { orgId, receiptId, reading } = input;
      return asWorker(sql, orgId, async (tx) => {
        await lockedReceipt(tx, orgId, receiptId);
        const settings = await loadReceiptSettings(tx, orgId);
        const review = reviewOf(reading.extracted, reading.confidence, { minConfidence: settings.minConfidenceBps / 10_000 });
        const reasons = [...review.reasons, ...reading.problems.map((p) => `${p.field}: ${p.message}`)];
        const autoConfirm = settings.autoConfirm && !review.needsReview && reading.problems.length === 0;
        await tx`
          update public.opportunity_receipts
          set extracted = ${toJsonText(reading.extracted)}::text::jsonb, confidence = ${toJsonText(reading.confidence)}::text::jsonb,
            review_reasons = ${reasons}, low_confidence_fields = ${review.lowConfidence}, model = ${reading.model}, raw_answer = null,
            failure_reason = null, status = ${autoConfirm ? 'processing' : 'needs_review'}
          where organization_id = ${orgId} and id = ${receiptId} and status in ('processing', 'needs_review')`;
        return { autoConfirm, createSales: settings.createSales };
      });
    },

    /** The model never answered the JSON asked for: a person reads the receipt, with its answer beside it. */
    async recordUnreadableAnswer(input: { orgId: string; receiptId: string; rawAnswer: string; message: string }): Promise<void> {
      await asWorker(sql, input.orgId, async (tx) => {
        await tx`
          update public.opportunity_receipts
          set status = 'needs_review', raw_answer = ${input.rawAnswer.slice(0, 100_000)}, extracted = null, confidence = null,
            low_confidence_fields = '{}', review_reasons = ${[`The model did not answer in the expected form (${input.message}): read the receipt and fill in the fields`]}
          where organization_id = ${input.orgId} and id = ${input.receiptId} and status = 'processing'`;
      });
    },

    async recordReceiptFailure(input: { orgId: string; receiptId: string; reason: string }): Promise<void> {
      await asWorker(sql, input.orgId, async (tx) => {
        await tx`
          update public.opportunity_receipts set status = 'failed', failure_reason = ${input.reason.slice(0, 2000)}
          where organization_id = ${input.orgId} and id = ${input.receiptId} and status = 'processing'`;
      });
    },

    /**
     * Confirms the receipt with the reviewer's edits, and records its sale: the opportunity's one
     * sale from elsewhere is linked (and its amount corrected when the receipt says otherwise),
     * or a sale of source 'receipt' is recorded. Once confirmed, a retry answers the same.
     */
    async confirmReceipt(input: ConfirmInput): Promise<ConfirmOutcome> {
      const { orgId, receiptId } = input;
      return asWorker(sql, orgId, async (tx) => {
        const row = await lockedReceipt(tx, orgId, receiptId);
        if (row.status === 'confirmed') return repeatedOutcome(tx, input, row);
        const merged = extractedReceiptSchema.safeParse({ ...emptyReceipt(), ...(row.extracted ?? {}), ...(input.edits ?? {}) });
        if (!merged.success) throw ApplicationFailure.nonRetryable(`The confirmed receipt is not valid: ${merged.error.message}`, 'InvalidInput');
        const receipt = merged.data;
        let outcome: ConfirmOutcome = { saleId: row.sale_id, commission: null, correction: null };
        if (input.createSale && receipt.totalMinor !== null && receipt.currency !== null) {
          outcome = await saleOf(tx, input, row, receipt);
        }
        await tx`
          update public.opportunity_receipts
          set status = 'confirmed', extracted = ${toJsonText(receipt)}::text::jsonb, reviewed_by = ${input.userId}, reviewed_at = now(),
            auto_confirmed = ${input.userId === null}, sale_id = ${outcome.saleId}
          where organization_id = ${orgId} and id = ${receiptId}`;
        return outcome;
      });
    },

    async rejectReceipt(input: { orgId: string; receiptId: string; userId: string; reason: string }): Promise<void> {
      await asWorker(sql, input.orgId, async (tx) => {
        const row = await lockedReceipt(tx, input.orgId, input.receiptId);
        if (row.status === 'rejected') return;
        await tx`
          update public.opportunity_receipts
          set status = 'rejected', reject_reason = ${input.reason.slice(0, 2000)}, reviewed_by = ${input.userId}, reviewed_at = now()
          where organization_id = ${input.orgId} and id = ${input.receiptId}`;
      });
    },
  };
}

/**
 * A confirmation retried after it committed (the worker died before reporting): the same
 * follow-up work again, which the workflow starts idempotently by workflow id.
 */
async function repeatedOutcome(tx: Tx, input: ConfirmInput, row: ReceiptRow): Promise<ConfirmOutcome> {
  if (!row.sale_id) return { saleId: null, commission: null, correction: null };
  const [sale] = await tx<{ source: string; external_id: string; amount_minor: string; currency: string; paid_at: Date; workflow_id: string | null; contact_id: string | null }[]>`
    select source, external_id, amount_minor::text, currency, paid_at, workflow_id, contact_id from public.sales_transactions
    where organization_id = ${input.orgId} and id = ${row.sale_id}`;
  if (!sale) return { saleId: row.sale_id, commission: null, correction: null };
  if (sale.source === 'receipt' && sale.external_id === input.receiptId) {
    const again: SaleInput = {
      source: 'receipt', externalId: input.receiptId, amountMinor: Number(sale.amount_minor), currency: sale.currency, paidAt: sale.paid_at.toISOString(),
      ghlOpportunityId: row.ghl_opportunity_id, ...(sale.contact_id ? { contactId: sale.contact_id } : {}),
    };
    return { saleId: row.sale_id, commission: { sale: again, workflowId: commissionWorkflowId(input.orgId, again) }, correction: null };
  }
  const corrected = sale.workflow_id === input.correctionWorkflowId;
  return { saleId: row.sale_id, commission: null, correction: corrected ? { transactionId: row.sale_id, workflowId: input.correctionWorkflowId } : null };
}

export const emptyReceipt = (): ExtractedReceipt => ({
  vendor: null, date: null, currency: null, totalMinor: null, taxMinor: null, lineItems: [], paymentMethod: null, referenceNumber: null,
});

/** The sale a confirmed receipt proves: linked and corrected, or recorded. */
async function saleOf(tx: Tx, input: ConfirmInput, row: ReceiptRow, receipt: ExtractedReceipt): Promise<ConfirmOutcome> {
  const { orgId, receiptId } = input;
  const total = receipt.totalMinor!;
  const existing = row.sale_id
    ? (await tx<{ id: string; amount_minor: string; currency: string; refunded_minor: string; team_member_id: string | null }[]>`
        select id, amount_minor::text, currency, refunded_minor::text, team_member_id from public.sales_transactions
        where organization_id = ${orgId} and id = ${row.sale_id}`)[0] ?? null
    : await opportunitySale(tx, orgId, row.ghl_opportunity_id);
  if (existing) {
    const sameAmount = Number(existing.amount_minor) === total;
    // A different currency or an amount below what was refunded is not a correction we can make:
    // the receipt is linked and the sale left for a person to correct.
    if (sameAmount || existing.currency !== receipt.currency || total < Number(existing.refunded_minor)) {
      return { saleId: existing.id, commission: null, correction: null };
    }
    const refunded = Number(existing.refunded_minor);
    const status = refunded === 0 ? 'paid' : refunded === total ? 'refunded' : 'partially_refunded';
    await tx`
      update public.sales_transactions
      set amount_minor = ${total}, original_amount_minor = coalesce(original_amount_minor, amount_minor), status = ${status},
        workflow_id = case when team_member_id is null then workflow_id else ${input.correctionWorkflowId} end
      where organization_id = ${orgId} and id = ${existing.id}`;
    // An unattributed sale is priced when someone is assigned, at its amount then.
    return { saleId: existing.id, commission: null, correction: existing.team_member_id ? { transactionId: existing.id, workflowId: input.correctionWorkflowId } : null };
  }
  const sale: SaleInput = {
    source: 'receipt',
    externalId: receiptId,
    amountMinor: total,
    currency: receipt.currency!,
    // The receipt's day (noon UTC, so the day is the same in most time zones).
    paidAt: receipt.date ? `${receipt.date}T12:00:00.000Z` : new Date().toISOString(),
    ghlOpportunityId: row.ghl_opportunity_id,
    ...(row.contact_id ? { contactId: row.contact_id } : {}),
  };
  const workflowId = commissionWorkflowId(orgId, sale);
  const [inserted] = await tx<{ id: string }[]>`
    insert into public.sales_transactions (organization_id, source, external_id, contact_id, ghl_opportunity_id, amount_minor, currency, paid_at, workflow_id)
    values (${orgId}, 'receipt', ${receiptId}, ${row.contact_id}, ${row.ghl_opportunity_id}, ${total}, ${sale.currency}, ${sale.paidAt}, ${workflowId})
    on conflict (organization_id, source, external_id) do nothing
    returning id`;
  const saleId = inserted?.id ?? (await tx<{ id: string }[]>`
    select id from public.sales_transactions where organization_id = ${orgId} and source = 'receipt' and external_id = ${receiptId}`)[0]!.id;
  return { saleId, commission: { sale, workflowId }, correction: null };
}
