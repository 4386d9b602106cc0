import type { Request } from 'express';
import { fail, invalid, notFound } from '../errors';
import { param, queryInt, queryString, V_2021_07_28, type Ctx, type RouteDef } from '../context';

/** Payments and invoices name the location as altId + altType=location. */
function assertAlt(req: Request, ctx: Ctx): void {
  const altId = queryString(req, 'altId');
  const altType = queryString(req, 'altType');
  const problems: string[] = [];
  if (!altId) problems.push('altId should not be empty');
  if (altType !== 'location') problems.push('altType must be one of the following values: location');
  if (problems.length) throw invalid(...problems);
  if (altId !== ctx.locationId) throw fail(403, 'The token does not have access to this location.');
}

function page<T extends { createdAt: string; contactId: string }>(req: Request, rows: T[]) {
  const limit = queryInt(req, 'limit', 1, 100) ?? 10;
  const offset = queryInt(req, 'offset', 0, 1_000_000) ?? 0;
  const contactId = queryString(req, 'contactId');
  const startAt = queryString(req, 'startAt');
  const endAt = queryString(req, 'endAt');
  const all = rows
    .filter((r) => !contactId || r.contactId === contactId)
    .filter((r) => !startAt || Date.parse(r.createdAt) >= Date.parse(startAt))
    .filter((r) => !endAt || Date.parse(r.createdAt) <= Date.parse(endAt))
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  return { data: all.slice(offset, offset + limit), totalCount: all.length };
}

/** Major-unit numbers as integer cents and back, so the fake's own bookkeeping never drifts. */
const cents = (amount: number) => Math.round(amount * 100);
const major = (c: number) => c / 100;

export const paymentRoutes: RouteDef[] = [
  {
    // Record a manual payment on an invoice: updates what is paid and due, and sends
    // InvoicePaid or InvoicePartiallyPaid (the invoice itself, which carries no `type`).
    method: 'post',
    path: '/invoices/:invoiceId/record-payment',
    version: V_2021_07_28,
    handler(req, ctx) {
      const b = (req.body ?? {}) as { altId?: unknown; altType?: unknown; mode?: unknown; amount?: unknown; notes?: unknown };
      const problems: string[] = [];
      if (b.altType !== 'location') problems.push('altType must be one of the following values: location');
      if (typeof b.mode !== 'string' || !['cash', 'card', 'cheque', 'bank_transfer', 'other'].includes(b.mode)) {
        problems.push('mode must be one of the following values: cash, card, cheque, bank_transfer, other');
      }
      if (b.amount !== undefined && (typeof b.amount !== 'number' || !(b.amount > 0))) problems.push('amount must be a positive number');
      if (problems.length) throw invalid(...problems);
      if (b.altId !== ctx.locationId) throw fail(403, 'The token does not have access to this location.');
      const inv = ctx.state.invoices.get(param(req, 'invoiceId'));
      if (!inv || inv.altId !== ctx.locationId) throw notFound('Invoice not found');
      if (inv.status !== 'sent' && inv.status !== 'partially_paid') throw fail(400, `Cannot record a payment on a ${inv.status} invoice`);
      const due = cents(inv.amountDue);
      const paying = b.amount === undefined ? due : cents(b.amount as number);
      if (paying > due) throw fail(400, 'Amount is more than the amount due');
      inv.amountPaid = major(cents(inv.amountPaid) + paying);
      inv.amountDue = major(due - paying);
      inv.status = inv.amountDue === 0 ? 'paid' : 'partially_paid';
      inv.updatedAt = new Date().toISOString();
      ctx.emit({ ...inv });
      return { success: true, invoice: inv };
    },
  },
  {
    method: 'get',
    path: '/payments/transactions',
    version: V_2021_07_28,
    handler(req, ctx) {
      assertAlt(req, ctx);
      return page(req, [...ctx.state.transactions.values()].filter((t) => t.altId === ctx.locationId));
    },
  },
  {
    method: 'get',
    path: '/payments/orders',
    version: V_2021_07_28,
    handler(req, ctx) {
      assertAlt(req, ctx);
      const status = queryString(req, 'status');
      return page(req, [...ctx.state.orders.values()].filter((o) => o.altId === ctx.locationId && (!status || o.status === status)));
    },
  },
  {
    method: 'get',
    path: '/invoices/:invoiceId',
    version: V_2021_07_28,
    handler(req, ctx) {
      assertAlt(req, ctx);
      const inv = ctx.state.invoices.get(param(req, 'invoiceId'));
      if (!inv || inv.altId !== ctx.locationId) throw notFound('Invoice not found');
      return inv;
    },
  },
];
