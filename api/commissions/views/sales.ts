// Sales as the API shows them, read in the caller's transaction (RLS decides what is visible).
import type { Tx } from '../../../db/tenant';
import { decodeCursor, page } from '../../http/cursor';
import { HttpError } from '../../http/errors';
import { temporalUiUrl } from '../../routes/executions';
import type { Page, Refund, Sale, TemporalUi } from './schemas';
import { type DbBigint, dayRange, iso, minorFromDb, minorOrNull } from './convert';

// ------------------------------------------------------------------------------------------
// Sales
// ------------------------------------------------------------------------------------------
interface SaleRow {
  id: string;
  source: Sale['source'];
  external_id: string;
  contact_id: string | null;
  contact_name: string | null;
  ghl_opportunity_id: string | null;
  product_id: string | null;
  pipeline_id: string | null;
  team_member_id: string | null;
  team_member_name: string | null;
  amount_minor: DbBigint;
  currency: string;
  paid_at: Date;
  status: Sale['status'];
  refunded_minor: DbBigint;
  splits: Sale['splits'];
  original_amount_minor: DbBigint | null;
  workflow_id: string | null;
  created_at: Date;
  cursor_key: string;
}

const toSale = (r: SaleRow, ui: TemporalUi): Sale => ({
  id: r.id,
  source: r.source,
  externalId: r.external_id,
  contactId: r.contact_id,
  contactName: r.contact_name,
  ghlOpportunityId: r.ghl_opportunity_id,
  productId: r.product_id,
  pipelineId: r.pipeline_id,
  teamMemberId: r.team_member_id,
  teamMemberName: r.team_member_name,
  amountMinor: minorFromDb(r.amount_minor),
  currency: r.currency,
  paidAt: iso(r.paid_at),
  status: r.status,
  refundedMinor: minorFromDb(r.refunded_minor),
  splits: r.splits,
  originalAmountMinor: minorOrNull(r.original_amount_minor),
  workflowId: r.workflow_id,
  temporalUiUrl: temporalUiUrl(ui, r.workflow_id),
  createdAt: iso(r.created_at),
});

const selectSales = (tx: Tx, orgId: string) => tx`
  select s.id, s.source, s.external_id, s.contact_id, s.ghl_opportunity_id, s.product_id, s.pipeline_id, s.team_member_id,
    s.amount_minor, s.currency, s.paid_at, s.status, s.refunded_minor, s.splits, s.original_amount_minor, s.workflow_id,
    s.created_at, s.paid_at::text as cursor_key,
    coalesce(c.name, nullif(concat_ws(' ', c.first_name, c.last_name), '')) as contact_name,
    t.full_name as team_member_name
  from public.sales_transactions s
  left join public.contacts c on c.organization_id = s.organization_id and c.id = s.contact_id
  left join public.team_members t on t.organization_id = s.organization_id and t.id = s.team_member_id
  where s.organization_id = ${orgId}`;

/** One sale, or 404 (another organization's, a colleague's for a sales rep, or none). */
export async function loadSale(tx: Tx, orgId: string, id: string, ui: TemporalUi): Promise<Sale> {
  const [row] = await tx<SaleRow[]>`${selectSales(tx, orgId)} and s.id = ${id}`;
  if (!row) throw new HttpError(404, 'No such sale');
  return toSale(row, ui);
}

export interface SaleFilter {
  teamMemberId?: string;
  status?: Sale['status'];
  /** Only sales nobody is credited with yet. */
  unattributed?: boolean;
  /** paid_at, UTC days, both inclusive. */
  from?: string;
  to?: string;
  cursor?: string;
  limit: number;
}

/** Sales, most recently paid first. */
export async function loadSales(tx: Tx, orgId: string, filter: SaleFilter, ui: TemporalUi): Promise<Page<Sale>> {
  const after = decodeCursor(filter.cursor);
  const rows = await tx<SaleRow[]>`
    ${selectSales(tx, orgId)}
      ${filter.teamMemberId ? tx`and s.team_member_id = ${filter.teamMemberId}` : tx``}
      ${filter.status ? tx`and s.status = ${filter.status}` : tx``}
      ${filter.unattributed ? tx`and s.team_member_id is null` : tx``}
      ${dayRange(tx, 's.paid_at', filter.from, filter.to)}
      ${after ? tx`and (s.paid_at, s.id) < (${after.k}::timestamptz, ${after.id}::uuid)` : tx``}
    order by s.paid_at desc, s.id desc
    limit ${filter.limit + 1}`;
  const result = page(rows, filter.limit, (r) => r.cursor_key);
  return { items: result.items.map((r) => toSale(r, ui)), nextCursor: result.nextCursor };
}

interface RefundRow {
  id: string;
  external_id: string;
  amount_minor: DbBigint;
  reason: string | null;
  created_at: Date;
}
export const toRefund = (r: RefundRow): Refund => ({
  id: r.id,
  externalId: r.external_id,
  amountMinor: minorFromDb(r.amount_minor),
  reason: r.reason,
  createdAt: iso(r.created_at),
});

/** A sale's refunds, oldest first (or only the one named by `refundId`). */
export async function loadRefunds(tx: Tx, orgId: string, transactionId: string, refundId?: string): Promise<Refund[]> {
  const rows = await tx<RefundRow[]>`
    select id, external_id, amount_minor, reason, created_at from public.sales_refunds
    where organization_id = ${orgId} and transaction_id = ${transactionId} ${refundId ? tx`and id = ${refundId}` : tx``}
    order by created_at, id`;
  return rows.map(toRefund);
}
