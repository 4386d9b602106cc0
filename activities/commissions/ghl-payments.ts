/*
 * Which GHL deliveries are payments, and the sale each one records. Pure (no I/O): the event
 * workflow's activity reads the delivery and calls this; unit tests feed it GHL's documented
 * payloads. Amounts in GHL's invoice, order and workflow payloads are major units ("999" is
 * 999.00 USD); they become integer minor units exactly, never through a float.
 *
 * - InvoicePaid / InvoicePartiallyPaid: `amountPaid` is what the invoice has received so far.
 *   Each delivery records the part not recorded yet (see recordSale), keyed by the invoice id
 *   and that running total, so a redelivery or an out-of-order older total records nothing.
 * - OrderStatusUpdate with status `completed`: the order's `amount`, once per order.
 * - A GHL workflow "Webhook" action with a `payment` object: once per transaction id (or per
 *   delivery when GHL gives none); a `payment_status` of `refunded` is a refund of that payment.
 */
import { toMinorUnits } from '../../api/ghl/money';
import type { GhlWorkflowPayment } from '../../api/ghl/workflow-webhook';

export type SaleSource = 'ghl_invoice' | 'ghl_order' | 'ghl_workflow' | 'manual' | 'api' | 'receipt';

export interface SaleInput {
  source: SaleSource;
  externalId: string;
  amountMinor: number;
  currency: string;
  /** ISO 8601. */
  paidAt: string;
  /** An invoice's running total paid: the sale is what it adds to earlier deliveries. */
  cumulativeMinor?: number;
  ghlContactId?: string;
  /** What the payload says of the payer, for a contact we have not synced yet. */
  contactName?: string;
  contactEmail?: string;
  contactId?: string;
  ghlOpportunityId?: string;
  productId?: string;
  pipelineId?: string;
  teamMemberId?: string;
  /** The rep named in the delivery (a workflow webhook's customData): member id, GHL user id or email. */
  attributionHint?: string;
  splits?: Array<{ teamMemberId: string; creditBps: number; payoutBps: number }>;
  rawWebhookId?: string;
}

export type GhlPayment = { kind: 'sale'; sale: SaleInput } | { kind: 'refund'; source: SaleSource; externalId: string; refundExternalId: string; amountMinor: number; currency: string } | { kind: 'none'; reason: string };

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const isoOr = (v: unknown, fallback: string): string => {
  const t = text(v);
  return t && !Number.isNaN(Date.parse(t)) ? new Date(Date.parse(t)).toISOString() : fallback;
};

function invoicePayment(data: Record<string, unknown>, webhookId: string, occurredAt: string): GhlPayment {
  const id = text(data._id);
  const currency = text(data.currency)?.toUpperCase();
  if (!id || !currency) return { kind: 'none', reason: 'the invoice has no _id or currency' };
  const paid = toMinorUnits(data.amountPaid, currency);
  if (paid === undefined || paid <= 0) return { kind: 'none', reason: 'the invoice reports nothing paid' };
  const contact = obj(data.contactDetails);
  const items = Array.isArray(data.invoiceItems) ? data.invoiceItems.map(obj) : [];
  const productId = text(items[0]?.productId);
  const opportunity = text(obj(data.opportunityDetails).opportunityId) ?? text(data.opportunityId);
  return {
    kind: 'sale',
    sale: {
      source: 'ghl_invoice',
      externalId: `${id}@${paid}`,
      amountMinor: paid,
      cumulativeMinor: paid,
      currency,
      paidAt: isoOr(data.updatedAt, occurredAt),
      ...(text(contact.id) ? { ghlContactId: text(contact.id) } : {}),
      ...(text(contact.name) ? { contactName: text(contact.name) } : {}),
      ...(text(contact.email) ? { contactEmail: text(contact.email) } : {}),
      ...(opportunity ? { ghlOpportunityId: opportunity } : {}),
      ...(productId ? { productId } : {}),
      rawWebhookId: webhookId,
    },
  };
}

function orderPayment(data: Record<string, unknown>, webhookId: string, occurredAt: string): GhlPayment {
  if (data.status !== 'completed') return { kind: 'none', reason: `order status ${String(data.status)} is not a payment` };
  const id = text(data._id);
  const currency = text(data.currency)?.toUpperCase();
  if (!id || !currency) return { kind: 'none', reason: 'the order has no _id or currency' };
  const amount = toMinorUnits(data.amount, currency);
  if (amount === undefined || amount < 0) return { kind: 'none', reason: 'the order amount is not an exact amount' };
  const items = Array.isArray(data.items) ? data.items.map(obj) : [];
  const productId = text(obj(items[0]?.product)._id);
  const snapshot = obj(data.contactSnapshot);
  const contactId = text(data.contactId) ?? text(snapshot.id);
  const contactName = [text(snapshot.firstName), text(snapshot.lastName)].filter(Boolean).join(' ');
  return {
    kind: 'sale',
    sale: {
      source: 'ghl_order',
      externalId: id,
      amountMinor: amount,
      currency,
      paidAt: isoOr(data.updatedAt, occurredAt),
      ...(contactId ? { ghlContactId: contactId } : {}),
      ...(contactName ? { contactName } : {}),
      ...(text(snapshot.email) ? { contactEmail: text(snapshot.email) } : {}),
      ...(productId ? { productId } : {}),
      rawWebhookId: webhookId,
    },
  };
}

export interface WorkflowWebhookBody {
  contact: { ghlContactId: string };
  payment?: GhlWorkflowPayment;
  customData?: Record<string, unknown>;
  deliveryKey?: string;
  opportunity?: unknown;
}

function workflowPayment(data: WorkflowWebhookBody, webhookId: string, occurredAt: string, attributionField: string): GhlPayment {
  const p = data.payment;
  if (!p) return { kind: 'none', reason: 'the workflow webhook carries no payment' };
  const externalId = p.transactionId ?? data.deliveryKey ?? webhookId;
  const status = p.status?.toLowerCase();
  if (status === 'refunded') {
    return { kind: 'refund', source: 'ghl_workflow', externalId, refundExternalId: `ghl:${externalId}:refunded`, amountMinor: p.amountMinor, currency: p.currency };
  }
  if (status && ['failed', 'pending', 'canceled', 'cancelled'].includes(status)) return { kind: 'none', reason: `payment status ${status} is not a payment` };
  const hint = data.customData?.[attributionField];
  const opportunity = text(obj(data.opportunity).id);
  return {
    kind: 'sale',
    sale: {
      source: 'ghl_workflow',
      externalId,
      amountMinor: p.amountMinor,
      currency: p.currency,
      paidAt: isoOr(p.createdAt, occurredAt),
      ghlContactId: data.contact.ghlContactId,
      ...(opportunity ? { ghlOpportunityId: opportunity } : {}),
      ...(typeof hint === 'string' || typeof hint === 'number' ? { attributionHint: String(hint).trim() } : {}),
      rawWebhookId: webhookId,
    },
  };
}

/** The payment a delivery reports, if any. `occurredAt` stands in when the payload has no time. */
export function paymentFromDelivery(type: string, data: unknown, options: { webhookId: string; occurredAt: string; attributionField: string }): GhlPayment {
  const body = obj(data);
  if (type === 'InvoicePaid' || type === 'InvoicePartiallyPaid') return invoicePayment(body, options.webhookId, options.occurredAt);
  if (type === 'OrderStatusUpdate') return orderPayment(body, options.webhookId, options.occurredAt);
  if (type === 'WorkflowWebhook') return workflowPayment(body as unknown as WorkflowWebhookBody, options.webhookId, options.occurredAt, options.attributionField);
  return { kind: 'none', reason: `${type} is not a payment event` };
}

/** Whether deliveries of this type may be payments (the event workflow asks before loading more). */
export const PAYMENT_EVENT_TYPES = new Set(['InvoicePaid', 'InvoicePartiallyPaid', 'OrderStatusUpdate', 'WorkflowWebhook']);
