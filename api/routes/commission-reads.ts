import { z } from 'zod';
import { formatMinor } from '../../commissions';
import type { Tx } from '../../db/tenant';
import { localDate } from '../commissions/local-date';
import {
  CALCULATION_KINDS,
  CALCULATION_STATUSES,
  calculationSchema,
  loadCalculation,
  loadCalculations,
  loadPayout,
  loadPayoutItems,
  loadPayouts,
  loadRefunds,
  loadSale,
  loadSales,
  loadSettings,
  minorFromDb,
  PAYOUT_STATUSES,
  payoutItemSchema,
  type PayoutItem,
  payoutSchema,
  refundSchema,
  SALE_STATUSES,
  saleSchema,
} from '../commissions/views';
import { defineRoute, orgAccess, type RouteDef } from '../http/route';
import { pageQuery } from '../schemas/common';

/*
 * The read side of the commission ledger. Every query runs as the caller, so RLS narrows a
 * sales rep to their own sales, commissions and payouts (a colleague's id answers 404), and
 * another organization's ids answer 404 for everyone.
 */

const day = z.iso.date('A day as YYYY-MM-DD');
const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

const salesQuery = z.strictObject({
  ...pageQuery,
  teamMemberId: z.uuid().optional(),
  status: z.enum(SALE_STATUSES).optional(),
  unattributed: z.enum(['true', 'false']).optional().describe('true: only sales nobody is credited with yet'),
  from: day.optional().describe('paid_at on or after this UTC day'),
  to: day.optional().describe('paid_at on or before this UTC day'),
});
const commissionsQuery = z.strictObject({
  ...pageQuery,
  status: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(CALCULATION_STATUSES)).min(1, 'Name at least one status'))
    .optional()
    .describe('One status or a comma-separated list'),
  teamMemberId: z.uuid().optional(),
  kind: z.enum(CALCULATION_KINDS).optional(),
  transactionId: z.uuid().optional(),
  from: day.optional().describe('created_at on or after this UTC day'),
  to: day.optional().describe('created_at on or before this UTC day'),
});
const summaryQuery = z.strictObject({
  teamMemberId: z.uuid().optional(),
  months: z.coerce.number().int().min(1).max(36).default(12),
  currency: z.string().regex(/^[A-Z]{3}$/, 'An ISO 4217 code such as "USD"').optional(),
});
const payoutsQuery = z.strictObject({ ...pageQuery, status: z.enum(PAYOUT_STATUSES).optional(), teamMemberId: z.uuid().optional() });

const summarySchema = z.object({
  currency: z
    .string()
    .nullable()
    .describe('The `currency` asked for; otherwise the currency of most of the rows (a member paid in several currencies sees one); null when there are none'),
  periods: z
    .array(
      z.object({
        period: z.string().describe("'YYYY-MM', a calendar month in UTC"),
        pendingMinor: z.number().int().describe('Commissions and adjustments pending or held'),
        approvedMinor: z.number().int().describe('Approved or payable (not yet paid)'),
        paidMinor: z.number().int(),
        clawedBackMinor: z.number().int().describe('The clawback rows of the month, as their (negative or zero) sum'),
      }),
    )
    .describe('The last `months` months, oldest first, the current month last; by created_at. Rejected, superseded and clawed_back rows are in no bucket'),
});

/** Sums per UTC month, in one currency (the asked one, else the most used one). */
async function summary(tx: Tx, orgId: string, query: z.infer<typeof summaryQuery>) {
  const member = query.teamMemberId ? tx`and c.team_member_id = ${query.teamMemberId}` : tx``;
  const start = tx`(date_trunc('month', now() at time zone 'UTC') - make_interval(months => ${query.months - 1}))`;
  let currency = query.currency ?? null;
  if (!currency) {
    const [top] = await tx<{ currency: string }[]>`
      select c.currency from public.commission_calculations c
      where c.organization_id = ${orgId} ${member} and c.created_at >= ${start} at time zone 'UTC'
      group by c.currency order by count(*) desc, c.currency limit 1`;
    currency = top?.currency ?? null;
  }
  const rows = await tx<{ period: string; pending: string; approved: string; paid: string; clawed_back: string }[]>`
    select to_char(m.month, 'YYYY-MM') as period,
      coalesce(sum(c.amount_minor) filter (where c.kind <> 'clawback' and c.status in ('pending', 'held')), 0)::text as pending,
      coalesce(sum(c.amount_minor) filter (where c.kind <> 'clawback' and c.status in ('approved', 'payable')), 0)::text as approved,
      coalesce(sum(c.amount_minor) filter (where c.kind <> 'clawback' and c.status = 'paid'), 0)::text as paid,
      coalesce(sum(c.amount_minor) filter (where c.kind = 'clawback' and c.status not in ('rejected', 'superseded')), 0)::text as clawed_back
    from generate_series(${start}, date_trunc('month', now() at time zone 'UTC'), interval '1 month') as m (month)
    left join public.commission_calculations c
      on c.organization_id = ${orgId} ${member} and c.currency = ${currency}
     and c.created_at >= m.month at time zone 'UTC' and c.created_at < (m.month + interval '1 month') at time zone 'UTC'
    group by m.month
    order by m.month`;
  return {
    currency,
    periods: rows.map((r) => ({
      period: r.period,
      pendingMinor: minorFromDb(r.pending),
      approvedMinor: minorFromDb(r.approved),
      paidMinor: minorFromDb(r.paid),
      clawedBackMinor: minorFromDb(r.clawed_back),
    })),
  };
}

// ------------------------------------------------------------------------------------------
// Payout statement (CSV)
// ------------------------------------------------------------------------------------------
const KIND_LABEL: Record<NonNullable<PayoutItem['kind']>, string> = { commission: 'Commission', clawback: 'Clawback', adjustment: 'Adjustment' };

/**
 * One CSV cell (RFC 4180). Text that a spreadsheet would run as a formula (starting with
 * = + - @, tab or carriage return) gets a leading apostrophe; amounts are written by the
 * caller as plain decimals and pass through untouched.
 */
export function csvCell(value: string, kind: 'text' | 'number' = 'text'): string {
  const safe = kind === 'text' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** 123456 -> "1234.56" (the currency's own exponent; integer arithmetic only). */
const decimal = (amountMinor: number | bigint, currency: string) => formatMinor(amountMinor, currency).split(' ')[0]!;

const slug = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 60);

/** The statement of one payout: its lines (dates are days in the organization's timezone) and a total row. */
async function payoutStatementCsv(tx: Tx, orgId: string, payoutId: string): Promise<{ filename: string; csv: string }> {
  const payout = await loadPayout(tx, orgId, payoutId);
  const items = await loadPayoutItems(tx, orgId, payout.id);
  const { timezone } = await loadSettings(tx, orgId);
  const row = (cells: [string, string, string, string], amount: bigint) =>
    [...cells.map((c) => csvCell(c)), csvCell(decimal(amount, payout.currency), 'number'), csvCell(payout.currency)].join(',');
  const lines = ['date,sale,kind,description,amount,currency'];
  let total = 0n;
  for (const item of items) {
    total += BigInt(item.amountMinor);
    const kind = item.kind ?? 'adjustment';
    const date = localDate(new Date(item.paidAt ?? item.createdAt), timezone);
    lines.push(row([date, item.saleExternalId ?? '', kind, item.description ?? KIND_LABEL[kind]], BigInt(item.amountMinor)));
  }
  lines.push(row(['', '', 'total', `Total of ${items.length} line${items.length === 1 ? '' : 's'}`], total));
  const filename = `statement-${slug(payout.teamMemberName) || payout.teamMemberId}-${payout.periodEnd}.csv`;
  return { filename, csv: `${lines.join('\r\n')}\r\n` };
}

export const commissionReadRoutes: RouteDef[] = [
  defineRoute<Record<string, never>, z.infer<typeof salesQuery>>({
    method: 'get',
    path: '/api/v1/orgs/:orgId/sales-transactions',
    summary: 'Sales, most recently paid first (a sales rep sees their own); filter by team member, status, unattributed, paid days',
    tags: ['commissions'],
    access: orgAccess('sales', 'read'),
    query: salesQuery,
    response: pageOf(saleSchema),
    async handler({ params, query, asUser, services }) {
      const { unattributed, ...filter } = query;
      return asUser((tx) => loadSales(tx, params.orgId!, { ...filter, unattributed: unattributed === 'true' }, services.temporalUi));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/sales-transactions/:saleId',
    summary: 'A sale with its commissions (oldest first, as far as the caller may see them) and its refunds',
    tags: ['commissions'],
    access: orgAccess('sales', 'read'),
    response: saleSchema.extend({ calculations: z.array(calculationSchema), refunds: z.array(refundSchema) }),
    async handler({ params, asUser, services }) {
      const orgId = params.orgId!;
      return asUser(async (tx) => {
        const sale = await loadSale(tx, orgId, params.saleId!, services.temporalUi);
        const calculations = await loadCalculations(tx, orgId, { transactionId: sale.id, order: 'oldest' });
        return { ...sale, calculations: calculations.items, refunds: await loadRefunds(tx, orgId, sale.id) };
      });
    },
  }),
  defineRoute<Record<string, never>, z.infer<typeof commissionsQuery>>({
    method: 'get',
    path: '/api/v1/orgs/:orgId/commissions',
    summary: 'Commissions, newest first (a sales rep sees their own); filter by statuses, team member, kind, sale, created days',
    tags: ['commissions'],
    access: orgAccess('commissions', 'read'),
    query: commissionsQuery,
    response: pageOf(calculationSchema),
    async handler({ params, query, asUser }) {
      const { status, ...filter } = query;
      return asUser((tx) => loadCalculations(tx, params.orgId!, { ...filter, statuses: status }));
    },
  }),
  // Before /commissions/:commissionId, so that "summary" is not taken for an id.
  defineRoute<Record<string, never>, z.infer<typeof summaryQuery>>({
    method: 'get',
    path: '/api/v1/orgs/:orgId/commissions/summary',
    summary: 'Commission totals per UTC month and status bucket, for one currency (a sales rep sees their own)',
    tags: ['commissions'],
    access: orgAccess('commissions', 'read'),
    query: summaryQuery,
    response: summarySchema,
    async handler({ params, query, asUser }) {
      return asUser((tx) => summary(tx, params.orgId!, query));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/commissions/:commissionId',
    summary: 'A commission with its trace, its sale and the reminders sent about it',
    tags: ['commissions'],
    access: orgAccess('commissions', 'read'),
    response: calculationSchema,
    async handler({ params, asUser }) {
      return asUser((tx) => loadCalculation(tx, params.orgId!, params.commissionId!));
    },
  }),
  // Payouts: a sales rep holds commissions:read but not payouts:read, and reads their own
  // payouts (their statements) through RLS; so these routes ask for commissions:read.
  defineRoute<Record<string, never>, z.infer<typeof payoutsQuery>>({
    method: 'get',
    path: '/api/v1/orgs/:orgId/payouts',
    summary: 'Payouts, latest period first (a sales rep sees their own)',
    tags: ['commissions'],
    access: orgAccess('commissions', 'read'),
    query: payoutsQuery,
    response: pageOf(payoutSchema),
    async handler({ params, query, asUser }) {
      return asUser((tx) => loadPayouts(tx, params.orgId!, query));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/payouts/:payoutId',
    summary: 'A payout with its lines',
    tags: ['commissions'],
    access: orgAccess('commissions', 'read'),
    response: payoutSchema.extend({ items: z.array(payoutItemSchema) }),
    async handler({ params, asUser }) {
      return asUser(async (tx) => {
        const payout = await loadPayout(tx, params.orgId!, params.payoutId!);
        return { ...payout, items: await loadPayoutItems(tx, params.orgId!, payout.id) };
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/payouts/:payoutId/statement.csv',
    summary:
      'A payout statement as CSV: one row per line (date = the sale\'s paid day, else the line\'s, in the organization\'s timezone; sale; kind; ' +
      'description; amount as a plain decimal; currency) and a total row',
    tags: ['commissions'],
    access: orgAccess('commissions', 'read'),
    async handler({ params, res, asUser }) {
      const { filename, csv } = await asUser((tx) => payoutStatementCsv(tx, params.orgId!, params.payoutId!));
      res.status(200);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
      res.setHeader('Cache-Control', 'private, no-store');
      res.send(csv);
      return undefined;
    },
  }),
];
