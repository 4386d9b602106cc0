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

export const paymentRoutes: RouteDef[] = [
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
