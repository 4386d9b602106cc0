// What the API takes as a receipt, checked in the browser first so a wrong file is refused
// before it is sent. The server sniffs the bytes and decides for real.
import type { ReceiptContentType } from '../api/receipts';
import { formatBytes } from '../bots/labels';

export const RECEIPT_TYPES: readonly ReceiptContentType[] = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'];
/** The API's limit on one receipt. */
export const MAX_RECEIPT_BYTES = 10 * 1024 * 1024;
export const ACCEPTED_RECEIPTS = '.jpg,.jpeg,.png,.webp,.pdf,image/jpeg,image/png,image/webp,application/pdf';

const TYPE_BY_EXTENSION: Record<string, ReceiptContentType> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', pdf: 'application/pdf' };

/** The file's type: the browser's, or from the extension when the browser gave none. */
export function receiptTypeOf(file: Pick<File, 'name' | 'type'>): ReceiptContentType | undefined {
  const type = file.type.toLowerCase();
  if ((RECEIPT_TYPES as readonly string[]).includes(type)) return type as ReceiptContentType;
  if (type) return undefined;
  const ext = /\.([^.]+)$/.exec(file.name)?.[1]?.toLowerCase();
  return ext ? TYPE_BY_EXTENSION[ext] : undefined;
}

/** Why a file cannot be uploaded as a receipt, or undefined when it can. */
export function receiptFileProblem(file: Pick<File, 'name' | 'type' | 'size'>): string | undefined {
  if (!receiptTypeOf(file)) return `“${file.name}” is not a receipt Flowline reads: choose a JPEG, PNG or WebP photo, or a PDF.`;
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (file.size > MAX_RECEIPT_BYTES) return `“${file.name}” is ${formatBytes(file.size)}: receipts can be at most ${formatBytes(MAX_RECEIPT_BYTES)}.`;
  return undefined;
}

export const isPdf = (contentType: string) => contentType === 'application/pdf';
