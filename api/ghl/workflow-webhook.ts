// Normalises deliveries of GHL's workflow "Webhook" action. These are not marketplace events:
// unsigned (the per-org URL carries a secret token instead), no webhookId, no timestamp; the
// contact comes as flat snake_case fields, custom fields sit at the top level under their label,
// and `location`, `workflow`, an optional `payment` and the user's `customData` ride along.
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { validationErrors } from '../http/errors';
import { fullName, tagList, textOrNull, type GhlContactFields } from './contact-fields';
import { toMinorUnits } from './money';

export interface GhlWorkflowPayment {
  /** total_amount in integer minor units of `currency`. */
  amountMinor: number;
  /** ISO 4217 code, upper case. */
  currency: string;
  transactionId?: string;
  status?: string;
  subTotalMinor?: number;
  discountMinor?: number;
  taxMinor?: number;
  source?: string;
  method?: string;
  gateway?: string;
  createdAt?: string;
}

export interface GhlWorkflowDelivery {
  locationId: string;
  contact: GhlContactFields;
  payment?: GhlWorkflowPayment;
  customData: Record<string, unknown>;
  workflow: { id: string; name: string };
  /** Stable across redeliveries of the same delivery; see deliveryKeyOf. */
  deliveryKey: string;
  deliveryKeySource: 'transaction' | 'body';
}

export type NormalizeWorkflowWebhookResult = { ok: true; delivery: GhlWorkflowDelivery } | { ok: false; errors: Array<{ path: string; message: string }> };

const id = z.string().trim().min(1);
const amount = z.union([z.number(), z.string()]);

const paymentSchema = z.looseObject({
  transaction_id: z.string().nullish(),
  payment_status: z.string().nullish(),
  total_amount: amount,
  sub_total_amount: amount.nullish(),
  discount_amount: amount.nullish(),
  tax_amount: amount.nullish(),
  currency_code: z.string().regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code'),
  source: z.string().nullish(),
  method: z.string().nullish(),
  gateway: z.string().nullish(),
  created_at: z.string().nullish(),
});

const bodySchema = z.looseObject({
  contact_id: id,
  location: z.looseObject({ id }),
  workflow: z.looseObject({ id, name: z.string().nullish() }),
  payment: paymentSchema.nullish(),
  customData: z.record(z.string(), z.unknown()).nullish(),
});

// Standard fields of the flat contact, and the context objects GHL adds beside it. Every other
// top-level key holding a plain value is a custom field under its label ("Wedding Package").
const STANDARD_KEYS = new Set([
  'contact_id', 'first_name', 'last_name', 'full_name', 'email', 'phone', 'tags', 'address1', 'city', 'state',
  'country', 'timezone', 'date_created', 'postal_code', 'contact_source', 'full_address', 'contact_type',
  'company_name', 'website', 'date_of_birth', 'assigned_to', 'location', 'workflow', 'payment', 'triggerData',
  'contact', 'attributionSource', 'customData', 'user', 'message', 'calendar', 'opportunity', 'order', 'invoice',
]);

function isPlainValue(value: unknown): boolean {
  const scalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
  return scalar(value) || (Array.isArray(value) && value.every(scalar));
}

/** Canonical JSON: sorted keys, so the same content hashes the same whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * GHL sends no webhookId here. A payment has a transaction id, and one transaction passing one
 * workflow for one contact is one event: key = hash of (workflow id, contact id, transaction id),
 * plus the status when it is a refund (the refund of a payment is a second event).
 * Without one, the key is the hash of the canonical body: identical bodies are the same delivery.
 * That also merges two genuinely separate runs with byte-identical data (the body carries no run
 * id or time), so callers should remember 'body' keys for a bounded window only.
 */
export function deliveryKeyOf(workflowId: string, contactId: string, transactionId: string | undefined, body: unknown, paymentStatus?: string): { key: string; source: 'transaction' | 'body' } {
  // A refund of the payment is another event about the same transaction.
  const refund = paymentStatus && /refund/i.test(paymentStatus) ? [paymentStatus.toLowerCase()] : [];
  if (transactionId) return { key: `ghl-wf-txn:${sha256(JSON.stringify([workflowId, contactId, transactionId, ...refund]))}`, source: 'transaction' };
  return { key: `ghl-wf-body:${sha256(canonical(body))}`, source: 'body' };
}

function minor(value: unknown, currency: string, path: string, errors: Array<{ path: string; message: string }>): number | undefined {
  if (value === null || value === undefined) return undefined;
  const result = toMinorUnits(value, currency);
  if (result === undefined) errors.push({ path, message: `is not an exact ${currency} amount` });
  return result;
}

function paymentOf(p: z.infer<typeof paymentSchema>, errors: Array<{ path: string; message: string }>): GhlWorkflowPayment | undefined {
  const currency = p.currency_code.toUpperCase();
  const amountMinor = minor(p.total_amount, currency, 'payment.total_amount', errors);
  const subTotalMinor = minor(p.sub_total_amount, currency, 'payment.sub_total_amount', errors);
  const discountMinor = minor(p.discount_amount, currency, 'payment.discount_amount', errors);
  const taxMinor = minor(p.tax_amount, currency, 'payment.tax_amount', errors);
  if (amountMinor === undefined) return undefined;
  const optional = { transactionId: textOrNull(p.transaction_id), status: textOrNull(p.payment_status), source: textOrNull(p.source), method: textOrNull(p.method), gateway: textOrNull(p.gateway), createdAt: textOrNull(p.created_at) };
  return {
    amountMinor,
    currency,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== null)),
    ...(subTotalMinor !== undefined ? { subTotalMinor } : {}),
    ...(discountMinor !== undefined ? { discountMinor } : {}),
    ...(taxMinor !== undefined ? { taxMinor } : {}),
  };
}

export function normalizeWorkflowWebhook(body: unknown): NormalizeWorkflowWebhookResult {
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) return { ok: false, errors: validationErrors(parsed.error) };
  const b = parsed.data;
  const errors: Array<{ path: string; message: string }> = [];
  const payment = b.payment ? paymentOf(b.payment, errors) : undefined;
  if (errors.length > 0) return { ok: false, errors };

  const firstName = textOrNull(b.first_name);
  const lastName = textOrNull(b.last_name);
  const customFields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(b)) {
    if (!STANDARD_KEYS.has(key) && isPlainValue(value)) customFields[key] = value;
  }
  const contact: GhlContactFields = {
    ghlContactId: b.contact_id,
    firstName,
    lastName,
    name: fullName(b.full_name, firstName, lastName),
    email: textOrNull(b.email),
    phone: textOrNull(b.phone),
    tags: tagList(b.tags),
    assignedTo: textOrNull(b.assigned_to),
    customFields,
    dateAdded: textOrNull(b.date_created),
  };
  const { key, source } = deliveryKeyOf(b.workflow.id, b.contact_id, payment?.transactionId, body, payment?.status);
  return {
    ok: true,
    delivery: {
      locationId: b.location.id,
      contact,
      ...(payment ? { payment } : {}),
      customData: b.customData ?? {},
      workflow: { id: b.workflow.id, name: b.workflow.name ?? '' },
      deliveryKey: key,
      deliveryKeySource: source,
    },
  };
}

/**
 * Compares the token in a workflow-webhook URL with the org's secret in constant time. Both are
 * hashed first so their lengths never show through timingSafeEqual's length check.
 */
export function workflowWebhookTokenMatches(presented: string, expected: string): boolean {
  if (expected === '') return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
