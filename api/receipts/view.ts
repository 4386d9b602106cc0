/*
 * A receipt as the API shows it: the row, who uploaded and reviewed it, and the sale it is
 * linked to. Read with the caller's claims, so RLS decides which receipts (and sales) are seen.
 */
import { z } from 'zod';
import type { Tx } from '../../db/tenant';
import { extractedReceiptSchema, RECEIPT_FIELDS, type ExtractedReceipt } from '../../receipts/extraction';
import { HttpError } from '../http/errors';
import { temporalUiUrl } from '../routes/executions';

export const RECEIPT_STATUSES = ['uploaded', 'processing', 'needs_review', 'confirmed', 'rejected', 'failed'] as const;
export const RECEIPT_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;

export const receiptSchema = z.object({
  id: z.uuid(),
  opportunityId: z.string(),
  contactId: z.uuid().nullable(),
  contactName: z.string().nullable(),
  fileName: z.string(),
  contentType: z.enum(RECEIPT_CONTENT_TYPES),
  sizeBytes: z.number(),
  sha256: z.string(),
  status: z.enum(RECEIPT_STATUSES),
  extracted: extractedReceiptSchema.nullable(),
  confidence: z.record(z.enum(RECEIPT_FIELDS), z.number()).nullable(),
  lowConfidenceFields: z.array(z.enum(RECEIPT_FIELDS)),
  reviewReasons: z.array(z.string()),
  rawAnswer: z.string().nullable(),
  failureReason: z.string().nullable(),
  model: z.string().nullable(),
  autoConfirmed: z.boolean(),
  saleId: z.uuid().nullable(),
  sale: z.object({ id: z.uuid(), amountMinor: z.number(), currency: z.string(), status: z.string(), source: z.string() }).nullable(),
  uploadedBy: z.uuid().nullable(),
  uploadedByName: z.string().nullable(),
  reviewedBy: z.uuid().nullable(),
  reviewedByName: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  rejectReason: z.string().nullable(),
  workflowId: z.string().nullable(),
  temporalUrl: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ReceiptView = z.infer<typeof receiptSchema>;

interface Row {
  id: string;
  ghl_opportunity_id: string;
  contact_id: string | null;
  contact_name: string | null;
  file_name: string;
  content_type: ReceiptView['contentType'];
  size_bytes: number;
  sha256: string;
  storage_key: string;
  status: ReceiptView['status'];
  extracted: ExtractedReceipt | null;
  confidence: Record<string, number> | null;
  low_confidence_fields: string[];
  review_reasons: string[];
  raw_answer: string | null;
  failure_reason: string | null;
  model: string | null;
  auto_confirmed: boolean;
  sale_id: string | null;
  sale_amount_minor: string | null;
  sale_currency: string | null;
  sale_status: string | null;
  sale_source: string | null;
  uploaded_by: string | null;
  uploaded_by_name: string | null;
  reviewed_by: string | null;
  reviewed_by_name: string | null;
  reviewed_at: Date | null;
  reject_reason: string | null;
  workflow_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface TemporalUi {
  url: string;
  namespace: string;
}

const toView = (r: Row, ui: TemporalUi): ReceiptView => ({
  id: r.id,
  opportunityId: r.ghl_opportunity_id,
  contactId: r.contact_id,
  contactName: r.contact_name,
  fileName: r.file_name,
  contentType: r.content_type,
  sizeBytes: r.size_bytes,
  sha256: r.sha256,
  status: r.status,
  extracted: r.extracted,
  confidence: r.confidence as ReceiptView['confidence'],
  lowConfidenceFields: r.low_confidence_fields as ReceiptView['lowConfidenceFields'],
  reviewReasons: r.review_reasons,
  rawAnswer: r.raw_answer,
  failureReason: r.failure_reason,
  model: r.model,
  autoConfirmed: r.auto_confirmed,
  saleId: r.sale_id,
  // The sale shows only when the caller may see it (RLS on sales_transactions).
  sale:
    r.sale_id && r.sale_amount_minor !== null
      ? { id: r.sale_id, amountMinor: Number(r.sale_amount_minor), currency: r.sale_currency!, status: r.sale_status!, source: r.sale_source! }
      : null,
  uploadedBy: r.uploaded_by,
  uploadedByName: r.uploaded_by_name,
  reviewedBy: r.reviewed_by,
  reviewedByName: r.reviewed_by_name,
  reviewedAt: r.reviewed_at?.toISOString() ?? null,
  rejectReason: r.reject_reason,
  workflowId: r.workflow_id,
  temporalUrl: r.workflow_id ? temporalUiUrl(ui, r.workflow_id) : null,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export interface ReceiptFilter {
  ids?: string[];
  opportunityId?: string;
  contactId?: string;
  status?: ReceiptView['status'];
  /** Keyset: receipts older than this (created_at, id). */
  before?: { createdAt: string; id: string };
  limit?: number;
}

/** Receipts the caller may see, newest first; deleted ones are never listed. */
export async function loadReceipts(tx: Tx, orgId: string, ui: TemporalUi, f: ReceiptFilter = {}): Promise<ReceiptView[]> {
  const rows = await tx<Row[]>`
    select r.*, c.name as contact_name,
      s.amount_minor::text as sale_amount_minor, s.currency as sale_currency, s.status as sale_status, s.source as sale_source,
      coalesce(up.full_name, up.email) as uploaded_by_name, coalesce(rv.full_name, rv.email) as reviewed_by_name
    from public.opportunity_receipts r
    left join public.contacts c on c.organization_id = r.organization_id and c.id = r.contact_id
    left join public.sales_transactions s on s.organization_id = r.organization_id and s.id = r.sale_id
    left join app.org_member_profiles(${orgId}) up on up.user_id = r.uploaded_by
    left join app.org_member_profiles(${orgId}) rv on rv.user_id = r.reviewed_by
    where r.organization_id = ${orgId} and r.deleted_at is null
      ${f.ids ? tx`and r.id = any(${f.ids}::uuid[])` : tx``}
      ${f.opportunityId ? tx`and r.ghl_opportunity_id = ${f.opportunityId}` : tx``}
      ${f.contactId ? tx`and r.contact_id = ${f.contactId}` : tx``}
      ${f.status ? tx`and r.status = ${f.status}` : tx``}
      ${f.before ? tx`and (r.created_at, r.id) < (${f.before.createdAt}::timestamptz, ${f.before.id}::uuid)` : tx``}
    order by r.created_at desc, r.id desc
    limit ${f.limit ?? 200}`;
  return rows.map((r) => toView(r, ui));
}

export async function loadReceipt(tx: Tx, orgId: string, receiptId: string, ui: TemporalUi): Promise<ReceiptView> {
  const [receipt] = await loadReceipts(tx, orgId, ui, { ids: [receiptId] });
  if (!receipt) throw new HttpError(404, 'No such receipt');
  return receipt;
}
