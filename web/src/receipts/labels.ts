import type { Receipt, ReceiptField, ReceiptStatus } from '../api/receipts';

export const STATUS_LABELS: Record<ReceiptStatus, string> = {
  uploaded: 'Uploaded',
  processing: 'Reading',
  needs_review: 'Needs review',
  confirmed: 'Confirmed',
  rejected: 'Rejected',
  failed: 'Failed',
};

/** Still being read: the page asks again until it is not. */
export const isPending = (status: ReceiptStatus) => status === 'uploaded' || status === 'processing';

export const FIELD_LABELS: Record<ReceiptField, string> = {
  vendor: 'Vendor',
  date: 'Date',
  currency: 'Currency',
  total: 'Total',
  tax: 'Tax',
  lineItems: 'Line items',
  paymentMethod: 'Payment method',
  referenceNumber: 'Reference',
};

/** Why a field is highlighted, or undefined when the model was sure enough of it. */
export function lowConfidenceHint(receipt: Pick<Receipt, 'lowConfidenceFields' | 'confidence'>, field: ReceiptField): string | undefined {
  if (!receipt.lowConfidenceFields.includes(field)) return undefined;
  const confidence = receipt.confidence?.[field];
  return `Check this: the reading is uncertain${confidence !== undefined ? ` (${Math.round(confidence * 100)}% sure)` : ''}.`;
}
