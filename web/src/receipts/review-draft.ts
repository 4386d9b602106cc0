/*
 * A receipt's fields as the review form holds them (text, amounts in major units as typed) and
 * back to the extraction's shape (integer minor units), through the commissions' money helpers:
 * amounts are read digit by digit, never through a float, and sums are bigint.
 */
import type { ExtractedReceipt } from '../api/receipts';
import { amountProblem, formatMinor, minorToMajor, parseMajor } from '../commissions/money';
import { InputError } from '../use-submit';

export interface LineDraft {
  /** A React key that survives removing the rows above. */
  key: number;
  description: string;
  quantity: string;
  amount: string;
}

export interface ReviewDraft {
  vendor: string;
  date: string;
  currency: string;
  total: string;
  tax: string;
  paymentMethod: string;
  referenceNumber: string;
  lineItems: LineDraft[];
}

/** The API's paths for the edits (problem `errors[].path`), so its field errors land on the fields. */
export const REVIEW_FIELDS = ['vendor', 'date', 'currency', 'totalMinor', 'taxMinor', 'lineItems', 'paymentMethod', 'referenceNumber'].map((f) => `edits.${f}`);
export const lineFieldPath = (index: number, field: 'description' | 'quantity' | 'amountMinor') => `edits.lineItems.${index}.${field}`;

const CURRENCY = /^[A-Z]{3}$/;
const QUANTITY = /^\d{1,7}(?:\.\d{1,4})?$/;

let nextKey = 0;
export const newLine = (changes: Partial<LineDraft> = {}): LineDraft => ({ key: nextKey++, description: '', quantity: '', amount: '', ...changes });

const majorOf = (amountMinor: number | null, currency: string | null) => (amountMinor === null || currency === null ? '' : minorToMajor(amountMinor, currency));

/** What the model read, as the form shows it. */
export function toDraft(extracted: ExtractedReceipt | null): ReviewDraft {
  const e = extracted;
  const currency = e?.currency ?? null;
  return {
    vendor: e?.vendor ?? '',
    date: e?.date ?? '',
    currency: currency ?? '',
    total: majorOf(e?.totalMinor ?? null, currency),
    tax: majorOf(e?.taxMinor ?? null, currency),
    paymentMethod: e?.paymentMethod ?? '',
    referenceNumber: e?.referenceNumber ?? '',
    lineItems: (e?.lineItems ?? []).map((i) => newLine({ description: i.description, quantity: i.quantity === null ? '' : String(i.quantity), amount: majorOf(i.amountMinor, currency) })),
  };
}

const isBlankLine = (l: LineDraft) => !l.description.trim() && !l.quantity.trim() && !l.amount.trim();

/** The currency as typed, when it is a code. */
export function draftCurrency(draft: Pick<ReviewDraft, 'currency'>): string | undefined {
  const code = draft.currency.trim().toUpperCase();
  return CURRENCY.test(code) ? code : undefined;
}

/**
 * The reviewed receipt to send as the confirmation's edits; throws InputError naming every field
 * at fault (as the API would). A sale needs a total and a currency: `forSale` asks for them.
 */
export function toEdits(draft: ReviewDraft, { forSale = false } = {}): ExtractedReceipt {
  const errors: Record<string, string> = {};
  const currency = draftCurrency(draft);
  const amounts = [draft.total, draft.tax, ...draft.lineItems.map((l) => l.amount)].some((a) => a.trim() !== '');
  if (draft.currency.trim() && !currency) errors['edits.currency'] = 'Enter a three-letter ISO currency code, such as USD.';
  else if (!currency && (amounts || forSale)) errors['edits.currency'] = 'Enter the currency the amounts are in, such as USD.';
  if (draft.date && !/^\d{4}-\d{2}-\d{2}$/.test(draft.date)) errors['edits.date'] = 'Enter a date.';

  const amount = (path: string, text: string, required: boolean): number | null => {
    if (!currency) return null;
    const problem = amountProblem(text, currency, { required });
    if (problem) errors[path] = problem;
    return text.trim() === '' ? null : (parseMajor(text, currency) ?? null);
  };
  const totalMinor = amount('edits.totalMinor', draft.total, forSale);
  if (forSale && !currency && !draft.total.trim()) errors['edits.totalMinor'] = 'Enter the total: the sale is for this amount.';
  const taxMinor = amount('edits.taxMinor', draft.tax, false);

  const lineItems: ExtractedReceipt['lineItems'] = [];
  draft.lineItems.forEach((l, i) => {
    if (isBlankLine(l)) return;
    const description = l.description.trim();
    if (!description) errors[lineFieldPath(i, 'description')] = 'Describe the item.';
    const quantityText = l.quantity.trim();
    const quantity = quantityText === '' ? null : QUANTITY.test(quantityText) && Number(quantityText) > 0 ? Number(quantityText) : undefined;
    if (quantity === undefined) errors[lineFieldPath(i, 'quantity')] = 'Enter a quantity above 0, or leave it empty.';
    const amountMinor = amount(lineFieldPath(i, 'amountMinor'), l.amount, true);
    lineItems.push({ description, quantity: quantity ?? null, amountMinor: amountMinor ?? 0 });
  });

  if (Object.keys(errors).length > 0) throw new InputError(errors);
  const text = (value: string) => value.trim() || null;
  return {
    vendor: text(draft.vendor),
    date: draft.date || null,
    currency: currency ?? null,
    totalMinor,
    taxMinor,
    lineItems,
    paymentMethod: text(draft.paymentMethod),
    referenceNumber: text(draft.referenceNumber),
  };
}

export interface LineItemsCheck {
  /** The line items' sum, in the draft's currency. */
  sum: string;
  /** True when they make the total, with or without the tax on top (receipts print it either way). */
  matches: boolean;
  /** The total compared with, when there is one. */
  total?: string;
}

/**
 * The live "line items add up to X" check, or undefined while it cannot be worked out (no line
 * items, no currency, or an amount still being typed).
 */
export function checkLineItems(draft: ReviewDraft): LineItemsCheck | undefined {
  const currency = draftCurrency(draft);
  const lines = draft.lineItems.filter((l) => !isBlankLine(l));
  if (!currency || lines.length === 0) return undefined;
  let sum = 0n;
  for (const l of lines) {
    const minor = parseMajor(l.amount, currency);
    if (minor === undefined) return undefined;
    sum += BigInt(minor);
  }
  const total = draft.total.trim() ? parseMajor(draft.total, currency) : undefined;
  const tax = draft.tax.trim() ? parseMajor(draft.tax, currency) : undefined;
  if (total === undefined) return { sum: formatMinor(sum, currency), matches: true };
  const matches = sum === BigInt(total) || (tax !== undefined && sum + BigInt(tax) === BigInt(total));
  return { sum: formatMinor(sum, currency), matches, total: formatMinor(total, currency) };
}
