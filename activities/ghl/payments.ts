import type { GhlTransport } from './http';
import { VERSION_2021_07_28 as V } from './http';
import * as s from './schemas';

export interface PaymentsListQuery {
  contactId?: string;
  limit?: number;
  offset?: number;
  startAt?: string;
  endAt?: string;
}

/** Payments and invoices address the location as `altId` + `altType=location`. */
export function paymentsModule(http: GhlTransport, locationId: string) {
  const alt = { altId: locationId, altType: 'location', locationId };
  return {
    transactions: async (q: PaymentsListQuery = {}) => {
      const r = await http.request({ method: 'GET', path: '/payments/transactions', version: V, query: { ...alt, ...q }, schema: s.transactionsResult });
      return { transactions: r.data, totalCount: r.totalCount };
    },
    orders: async (q: PaymentsListQuery & { status?: string } = {}) => {
      const r = await http.request({ method: 'GET', path: '/payments/orders', version: V, query: { ...alt, ...q }, schema: s.ordersResult });
      return { orders: r.data, totalCount: r.totalCount };
    },
  };
}

export function invoicesModule(http: GhlTransport, locationId: string) {
  return {
    get: (invoiceId: string) =>
      http.request({
        method: 'GET',
        path: `/invoices/${encodeURIComponent(invoiceId)}`,
        version: V,
        query: { altId: locationId, altType: 'location' },
        schema: s.invoice,
      }),
  };
}
