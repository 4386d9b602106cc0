// Opportunity receipts as the web app reads them (api/receipts/view.ts and api/routes/receipts.ts
// hold the zod schemas that are the source of truth). The extracted fields are receipts/extraction.ts's own type, so the review form and the API cannot
// drift apart; amounts are integer minor units beside an ISO 4217 currency.
import type { ExtractedReceipt, ReceiptField } from '../../../receipts/extraction';
import { api, withAccessToken } from './client';
import { orgPath } from './orgs';
import { ApiError, toProblem, unreachable } from './problem';
import type { Page } from './types';

export type { ExtractedReceipt, ReceiptField };

export type ReceiptStatus = 'uploaded' | 'processing' | 'needs_review' | 'confirmed' | 'rejected' | 'failed';
export type ReceiptContentType = 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';

export interface ReceiptSale {
  id: string;
  amountMinor: number;
  currency: string;
  status: string;
  source: string;
}

export interface Receipt {
  id: string;
  /** The GHL opportunity it belongs to. */
  opportunityId: string;
  contactId: string | null;
  contactName: string | null;
  fileName: string;
  contentType: ReceiptContentType;
  sizeBytes: number;
  sha256: string;
  status: ReceiptStatus;
  extracted: ExtractedReceipt | null;
  /** 0..1 per field. */
  confidence: Record<ReceiptField, number> | null;
  lowConfidenceFields: ReceiptField[];
  reviewReasons: string[];
  /** The model's answer when it was not valid JSON. */
  rawAnswer: string | null;
  failureReason: string | null;
  /** The model that read it. */
  model: string | null;
  saleId: string | null;
  /** The linked sale; null as well when the caller may not see it. */
  sale: ReceiptSale | null;
  uploadedBy: string | null;
  uploadedByName: string | null;
  reviewedBy: string | null;
  reviewedByName: string | null;
  reviewedAt: string | null;
  rejectReason: string | null;
  autoConfirmed: boolean;
  workflowId: string | null;
  temporalUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A GHL opportunity of a contact; `monetaryValue` in major units, as GHL gives it. */
export interface Opportunity {
  id: string;
  name: string | null;
  status: string;
  monetaryValue: number | null;
  pipelineId: string | null;
}

export interface Uploaded {
  receipt: Receipt;
  /** The same bytes were uploaded before: `receipt` is the earlier one, nothing ran again. */
  duplicate: boolean;
}

export interface ConfirmInput {
  edits?: Partial<ExtractedReceipt>;
  /** Create or update the opportunity's sale (default true). */
  createSale?: boolean;
}

const receipts = (orgId: string) => `${orgPath(orgId)}/receipts`;
const receipt = (orgId: string, receiptId: string) => `${receipts(orgId)}/${encodeURIComponent(receiptId)}`;
const opportunityReceipts = (orgId: string, opportunityId: string) => `${orgPath(orgId)}/opportunities/${encodeURIComponent(opportunityId)}/receipts`;

export function listContactOpportunities(orgId: string, contactId: string, signal?: AbortSignal): Promise<{ items: Opportunity[] }> {
  return api('GET', `${orgPath(orgId)}/contacts/${encodeURIComponent(contactId)}/opportunities`, { signal });
}

export interface ReceiptQuery {
  status?: ReceiptStatus;
  /** GHL's opportunity id. */
  opportunityId?: string;
  contactId?: string;
  cursor?: string;
  limit?: number;
}

/** Receipts newest first: all, an opportunity's, a contact's, or by status (the review queue). */
export function listReceipts(orgId: string, params: ReceiptQuery, signal?: AbortSignal): Promise<Page<Receipt>> {
  return api('GET', receipts(orgId), { query: { ...params }, signal });
}

export function getReceipt(orgId: string, receiptId: string, signal?: AbortSignal): Promise<Receipt> {
  return api('GET', receipt(orgId, receiptId), { signal });
}

export function deleteReceipt(orgId: string, receiptId: string): Promise<void> {
  return api('DELETE', receipt(orgId, receiptId));
}

export function confirmReceipt(orgId: string, receiptId: string, input: ConfirmInput): Promise<Receipt> {
  return api('POST', `${receipt(orgId, receiptId)}/confirm`, { body: input });
}

export function rejectReceipt(orgId: string, receiptId: string, reason: string): Promise<Receipt> {
  return api('POST', `${receipt(orgId, receiptId)}/reject`, { body: { reason } });
}

export function retryReceipt(orgId: string, receiptId: string): Promise<Receipt> {
  return api('POST', `${receipt(orgId, receiptId)}/retry`);
}

/**
 * The receipt's file as a blob: it is behind the bearer token like every call, so an <img> or
 * <iframe> cannot load it by URL; the page shows it through an object URL instead.
 */
export async function fetchReceiptFile(orgId: string, receiptId: string, signal?: AbortSignal): Promise<Blob> {
  const url = `/api/v1${receipt(orgId, receiptId)}/file`;
  const res = await withAccessToken(async (token) => {
    try {
      return await fetch(url, { headers: { accept: '*/*', authorization: `Bearer ${token}` }, signal });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw unreachable(err);
    }
  });
  if (!res.ok) {
    const body: unknown = await res.json().catch(() => undefined);
    throw new ApiError(toProblem(res.status, res.statusText, body));
  }
  return res.blob();
}

export interface UploadOptions {
  /** The Flowline contact the receipt is for, when uploaded from a contact. */
  contactId?: string;
  /** Bytes sent so far of the whole request. */
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
}

interface XhrAnswer {
  status: number;
  statusText: string;
  text: string;
}

/**
 * Uploads a receipt (multipart, field `file`). XMLHttpRequest rather than fetch: only it reports
 * upload progress. 201 is a new receipt, 200 a duplicate of an earlier one.
 */
export async function uploadReceipt(orgId: string, opportunityId: string, file: File, options: UploadOptions = {}): Promise<Uploaded> {
  const form = new FormData();
  if (options.contactId) form.append('contactId', options.contactId);
  // Last: a server streaming the body reads the other fields before the file.
  form.append('file', file, file.name);
  const url = `/api/v1${opportunityReceipts(orgId, opportunityId)}`;
  const res = await withAccessToken((token) => sendForm(url, form, token, options));
  let body: unknown;
  try {
    body = res.text ? JSON.parse(res.text) : undefined;
  } catch {
    body = undefined;
  }
  if (res.status < 200 || res.status >= 300) throw new ApiError(toProblem(res.status, res.statusText, body));
  return body as Uploaded;
}

function sendForm(url: string, form: FormData, token: string, { onProgress, signal }: UploadOptions): Promise<XhrAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    if (onProgress) xhr.upload.addEventListener('progress', (e) => e.lengthComputable && onProgress(e.loaded, e.total));
    xhr.addEventListener('load', () => resolve({ status: xhr.status, statusText: xhr.statusText, text: xhr.responseText }));
    xhr.addEventListener('error', () => reject(unreachable(new Error('the upload did not reach the server'))));
    xhr.addEventListener('abort', () => reject(new DOMException('The upload was cancelled.', 'AbortError')));
    if (signal) {
      if (signal.aborted) {
        reject(new DOMException('The upload was cancelled.', 'AbortError'));
        return;
      }
      signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(form);
  });
}
