/*
 * What a receipt's extraction is, in two shapes:
 *
 * - the model's answer (`modelAnswerSchema`, sent as a strict JSON schema): amounts as the
 *   decimal text printed on the receipt ("42.50"), because a model reads digits, not cents;
 * - what Flowline keeps and people edit (`extractedReceiptSchema`): amounts as integer minor
 *   units beside an ISO 4217 currency, converted exactly (never through a float).
 *
 * Pure: used by the extraction activity, the API (edits on confirm) and tests alike.
 */
import { z } from 'zod';
import { minorUnitDigits, toMinorUnits } from '../api/ghl/money';

/** The fields people review, each with its own confidence. */
export const RECEIPT_FIELDS = ['vendor', 'date', 'currency', 'total', 'tax', 'lineItems', 'paymentMethod', 'referenceNumber'] as const;
export type ReceiptField = (typeof RECEIPT_FIELDS)[number];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
// Date.parse rolls days over (2026-02-30 becomes March 2nd): a calendar date reads back the same.
const isCalendarDate = (d: string) => {
  const time = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === d;
};
const isoDate = z.string().regex(DATE, 'a date: YYYY-MM-DD').refine(isCalendarDate, 'not a calendar date');
const minor = z.number().int('whole minor units (cents): 1234 = 12.34').min(0).max(Number.MAX_SAFE_INTEGER);

export const lineItemSchema = z.strictObject({
  description: z.string().trim().min(1).max(300),
  quantity: z.number().positive().max(1_000_000).nullable(),
  amountMinor: minor,
});

/** A receipt as Flowline stores it (receipts.extracted) and as a reviewer's edits are sent. */
export const extractedReceiptSchema = z.strictObject({
  vendor: z.string().trim().min(1).max(300).nullable(),
  date: isoDate.nullable(),
  currency: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD').nullable(),
  totalMinor: minor.nullable(),
  taxMinor: minor.nullable(),
  lineItems: z.array(lineItemSchema).max(200),
  paymentMethod: z.string().trim().min(1).max(100).nullable(),
  referenceNumber: z.string().trim().min(1).max(200).nullable(),
});
export type ExtractedReceipt = z.infer<typeof extractedReceiptSchema>;

export type Confidence = Record<ReceiptField, number>;

const nullableString = { type: ['string', 'null'] } as const;
const probability = { type: 'number', minimum: 0, maximum: 1 } as const;

/**
 * The structured output asked of the vision model (OpenAI `response_format: json_schema`,
 * strict: every property required, no others; a missing value is null).
 */
export const MODEL_ANSWER_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['vendor', 'date', 'currency', 'total', 'tax', 'lineItems', 'paymentMethod', 'referenceNumber', 'confidence'],
  properties: {
    vendor: { ...nullableString, description: 'The merchant or seller as printed' },
    date: { ...nullableString, description: 'The purchase date as YYYY-MM-DD' },
    currency: { ...nullableString, description: 'ISO 4217 code, e.g. USD' },
    total: { ...nullableString, description: 'The total paid, digits with a dot for decimals, e.g. "42.50"' },
    tax: { ...nullableString, description: 'The tax included, same format, or null' },
    lineItems: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['description', 'quantity', 'amount'],
        properties: {
          description: { type: 'string' },
          quantity: { type: ['number', 'null'] },
          amount: { type: 'string', description: "The line's amount, digits with a dot for decimals" },
        },
      },
    },
    paymentMethod: { ...nullableString, description: 'e.g. card, cash, bank transfer' },
    referenceNumber: { ...nullableString, description: 'Receipt, invoice or transaction number' },
    confidence: {
      type: 'object',
      additionalProperties: false,
      description: 'How sure you are of each field, 0 to 1',
      required: [...RECEIPT_FIELDS],
      properties: Object.fromEntries(RECEIPT_FIELDS.map((f) => [f, probability])),
    },
  },
} as const;

const answerText = z.string().trim().max(300).nullable();
/** The model's answer, validated before anything is converted. */
export const modelAnswerSchema = z.object({
  vendor: answerText,
  date: answerText,
  currency: answerText,
  total: answerText,
  tax: answerText,
  lineItems: z.array(z.object({ description: z.string().max(300), quantity: z.number().nullable(), amount: z.string().max(50) })).max(200),
  paymentMethod: answerText,
  referenceNumber: answerText,
  confidence: z.object(Object.fromEntries(RECEIPT_FIELDS.map((f) => [f, z.number().min(0).max(1)])) as Record<ReceiptField, z.ZodNumber>),
});
export type ModelAnswer = z.infer<typeof modelAnswerSchema>;

export interface Conversion {
  extracted: ExtractedReceipt;
  confidence: Confidence;
  /** Values the model gave that could not be kept (an amount not exact in the currency...). */
  problems: { field: ReceiptField; message: string }[];
}

const blankToNull = (v: string | null) => (v && v.trim() ? v.trim() : null);

/**
 * The model's answer as a receipt: amounts to minor units in the answer's currency. A value
 * that cannot be converted becomes null with its confidence 0, and is listed as a problem,
 * so the reviewer sees what the model said instead of a guess.
 */
export function fromModelAnswer(answer: ModelAnswer): Conversion {
  const confidence = { ...answer.confidence } as Confidence;
  const problems: Conversion['problems'] = [];
  const drop = (field: ReceiptField, message: string) => {
    problems.push({ field, message });
    confidence[field] = 0;
  };
  const currencyText = blankToNull(answer.currency)?.toUpperCase() ?? null;
  const currency = currencyText && /^[A-Z]{3}$/.test(currencyText) ? currencyText : null;
  if (currencyText && !currency) drop('currency', `"${currencyText}" is not an ISO 4217 code`);
  const amount = (field: ReceiptField, text: string | null): number | null => {
    const t = blankToNull(text);
    if (t === null) return null;
    if (!currency) {
      drop(field, `"${t}" has no currency to be read in`);
      return null;
    }
    const value = toMinorUnits(t.replace(/^[^\d-]+/, ''), currency);
    if (value === undefined || value < 0) {
      drop(field, `"${t}" is not an amount in ${currency}`);
      return null;
    }
    return value;
  };
  const dateText = blankToNull(answer.date);
  const date = dateText && isoDate.safeParse(dateText).success ? dateText : null;
  if (dateText && !date) drop('date', `"${dateText}" is not a date (YYYY-MM-DD)`);
  const lineItems: ExtractedReceipt['lineItems'] = [];
  for (const item of answer.lineItems) {
    const amountMinor = amount('lineItems', item.amount);
    const description = item.description.trim();
    if (amountMinor === null || !description) continue;
    lineItems.push({ description: description.slice(0, 300), quantity: item.quantity !== null && item.quantity > 0 ? item.quantity : null, amountMinor });
  }
  const extracted: ExtractedReceipt = {
    vendor: blankToNull(answer.vendor),
    date,
    currency,
    totalMinor: amount('total', answer.total),
    taxMinor: amount('tax', answer.tax),
    lineItems,
    paymentMethod: blankToNull(answer.paymentMethod)?.slice(0, 100) ?? null,
    referenceNumber: blankToNull(answer.referenceNumber)?.slice(0, 200) ?? null,
  };
  return { extracted, confidence, problems };
}

export interface ReviewPolicy {
  /** Below this confidence (0..1) a field is flagged and the receipt waits for a person. */
  minConfidence: number;
}

export interface Review {
  needsReview: boolean;
  /** Why a person must look, in words. */
  reasons: string[];
  lowConfidence: ReceiptField[];
}

/**
 * Whether a receipt can be trusted as read: a total and a currency, every field at least as
 * confident as the policy asks, and line items that add up to the total (with or without the
 * tax on top, as receipts print it either way).
 */
export function reviewOf(extracted: ExtractedReceipt, confidence: Confidence, policy: ReviewPolicy): Review {
  const reasons: string[] = [];
  // An optional field the receipt does not have (no tax line, no reference) is not a doubt.
  const lowConfidence = RECEIPT_FIELDS.filter((f) => (ESSENTIAL.includes(f) || isPresent(extracted, f)) && (confidence[f] ?? 0) < policy.minConfidence);
  if (lowConfidence.length) reasons.push(`Low confidence in ${lowConfidence.join(', ')}`);
  if (extracted.totalMinor === null) reasons.push('No total was found');
  if (extracted.currency === null) reasons.push('No currency was found');
  const mismatch = lineItemsMismatch(extracted);
  if (mismatch) reasons.push(mismatch);
  return { needsReview: reasons.length > 0, reasons, lowConfidence };
}

/** What a sale needs from a receipt: judged even when the model found nothing. */
const ESSENTIAL: readonly ReceiptField[] = ['vendor', 'date', 'currency', 'total'];

function isPresent(e: ExtractedReceipt, field: ReceiptField): boolean {
  switch (field) {
    case 'total':
      return e.totalMinor !== null;
    case 'tax':
      return e.taxMinor !== null;
    case 'lineItems':
      return e.lineItems.length > 0;
    default:
      return e[field] !== null;
  }
}

/** Why the line items do not make the total, or null when they do (or there are none). */
export function lineItemsMismatch(e: ExtractedReceipt): string | null {
  if (e.totalMinor === null || e.lineItems.length === 0) return null;
  const sum = e.lineItems.reduce((s, i) => s + i.amountMinor, 0);
  if (sum === e.totalMinor || (e.taxMinor !== null && sum + e.taxMinor === e.totalMinor)) return null;
  const money = (minor: number) => formatMinor(minor, e.currency);
  return `The line items add up to ${money(sum)}, not the total ${money(e.totalMinor)}${e.taxMinor !== null ? ` (tax ${money(e.taxMinor)})` : ''}`;
}

/** Minor units as the decimal a person reads ("37.45 USD"); bare minor units without a currency. */
export function formatMinor(minor: number, currency: string | null): string {
  const digits = currency ? minorUnitDigits(currency) : undefined;
  if (digits === undefined) return `${minor} (minor units)`;
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  const decimal = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return `${minor < 0 ? '-' : ''}${decimal} ${currency}`;
}
