// Payouts and their lines as the API shows them, read in the caller's transaction.
import type { Tx } from '../../../db/tenant';
import { decodeCursor, page } from '../../http/cursor';
import { HttpError } from '../../http/errors';
import type { Page, Payout, PayoutItem } from './schemas';
import { type DbBigint, iso, isoOrNull, minorFromDb, minorOrNull } from './convert';

// ------------------------------------------------------------------------------------------
// Payouts
// ------------------------------------------------------------------------------------------
interface PayoutRow {
  id: string;
  team_member_id: string;
  team_member_name: string | null;
  period_start: string;
  period_end: string;
  currency: string;
  total_minor: DbBigint;
  status: Payout['status'];
  locked_at: Date | null;
  locked_by: string | null;
  locked_by_email: string | null;
  paid_at: Date | null;
  paid_by: string | null;
  paid_by_email: string | null;
  item_count: number;
  created_at: Date;
  cursor_key: string;
}

const toPayout = (r: PayoutRow): Payout => ({
  id: r.id,
  teamMemberId: r.team_member_id,
  teamMemberName: r.team_member_name ?? '',
  periodStart: r.period_start,
  periodEnd: r.period_end,
  currency: r.currency,
  totalMinor: minorFromDb(r.total_minor),
  status: r.status,
  lockedAt: isoOrNull(r.locked_at),
  lockedBy: r.locked_by,
  lockedByEmail: r.locked_by_email,
  paidAt: isoOrNull(r.paid_at),
  paidBy: r.paid_by,
  paidByEmail: r.paid_by_email,
  itemCount: r.item_count,
  createdAt: iso(r.created_at),
});

const selectPayouts = (tx: Tx, orgId: string) => tx`
  select p.id, p.team_member_id, t.full_name as team_member_name, p.period_start::text as period_start,
    p.period_end::text as period_end, p.currency, p.total_minor, p.status, p.locked_at, p.locked_by, p.paid_at, p.paid_by,
    p.created_at, p.period_end::text as cursor_key, lu.email as locked_by_email, pu.email as paid_by_email,
    (select count(*)::int from public.commission_payout_items i where i.organization_id = p.organization_id and i.payout_id = p.id) as item_count
  from public.commission_payouts p
  left join public.team_members t on t.organization_id = p.organization_id and t.id = p.team_member_id
  left join app.org_member_profiles(${orgId}) lu on lu.user_id = p.locked_by
  left join app.org_member_profiles(${orgId}) pu on pu.user_id = p.paid_by
  where p.organization_id = ${orgId}`;

/** One payout (without its lines), or 404 (another organization's, a colleague's for a sales rep, or none). */
export async function loadPayout(tx: Tx, orgId: string, id: string): Promise<Payout> {
  const [row] = await tx<PayoutRow[]>`${selectPayouts(tx, orgId)} and p.id = ${id}`;
  if (!row) throw new HttpError(404, 'No such payout');
  return toPayout(row);
}

export interface PayoutFilter {
  ids?: string[];
  status?: Payout['status'];
  teamMemberId?: string;
  cursor?: string;
  limit?: number;
}

/** Payouts, latest period first; paginated when `limit` is given. */
export async function loadPayouts(tx: Tx, orgId: string, filter: PayoutFilter = {}): Promise<Page<Payout>> {
  const after = decodeCursor(filter.cursor);
  const rows = await tx<PayoutRow[]>`
    ${selectPayouts(tx, orgId)}
      ${filter.ids ? tx`and p.id = any (${filter.ids}::uuid[])` : tx``}
      ${filter.status ? tx`and p.status = ${filter.status}` : tx``}
      ${filter.teamMemberId ? tx`and p.team_member_id = ${filter.teamMemberId}` : tx``}
      ${after ? tx`and (p.period_end, p.id) < (${after.k}::date, ${after.id}::uuid)` : tx``}
    order by p.period_end desc, p.id desc
    ${filter.limit ? tx`limit ${filter.limit + 1}` : tx``}`;
  if (!filter.limit) return { items: rows.map(toPayout), nextCursor: null };
  const result = page(rows, filter.limit, (r) => r.cursor_key);
  return { items: result.items.map(toPayout), nextCursor: result.nextCursor };
}

interface PayoutItemRow {
  id: string;
  calculation_id: string | null;
  kind: PayoutItem['kind'];
  description: string | null;
  amount_minor: DbBigint;
  transaction_id: string | null;
  sale_external_id: string | null;
  sale_amount_minor: DbBigint | null;
  sale_paid_at: Date | null;
  created_at: Date;
}

/** A payout's lines in the order they were written (the caller has loaded the payout itself). */
export async function loadPayoutItems(tx: Tx, orgId: string, payoutId: string): Promise<PayoutItem[]> {
  const rows = await tx<PayoutItemRow[]>`
    select i.id, i.calculation_id, c.kind, i.description, i.amount_minor, c.transaction_id,
      s.external_id as sale_external_id, s.amount_minor as sale_amount_minor, s.paid_at as sale_paid_at, i.created_at
    from public.commission_payout_items i
    left join public.commission_calculations c on c.organization_id = i.organization_id and c.id = i.calculation_id
    left join public.sales_transactions s on s.organization_id = c.organization_id and s.id = c.transaction_id
    where i.organization_id = ${orgId} and i.payout_id = ${payoutId}
    order by i.created_at, i.id`;
  return rows.map((r) => ({
    id: r.id,
    calculationId: r.calculation_id,
    kind: r.kind,
    description: r.description,
    amountMinor: minorFromDb(r.amount_minor),
    transactionId: r.transaction_id,
    saleExternalId: r.sale_external_id,
    saleAmountMinor: minorOrNull(r.sale_amount_minor),
    paidAt: isoOrNull(r.sale_paid_at),
    createdAt: iso(r.created_at),
  }));
}
