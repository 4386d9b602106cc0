// Commission calculations as the API shows them, read in the caller's transaction.
import type { Tx } from '../../../db/tenant';
import { decodeCursor, page } from '../../http/cursor';
import { HttpError } from '../../http/errors';
import type { Calculation, Page, Sale } from './schemas';
import { type DbBigint, dayRange, iso, isoOrNull, minorFromDb } from './convert';

// ------------------------------------------------------------------------------------------
// Calculations
// ------------------------------------------------------------------------------------------
interface CalculationRow {
  id: string;
  transaction_id: string | null;
  team_member_id: string;
  team_member_name: string | null;
  plan_version_id: string | null;
  plan_name: string | null;
  kind: Calculation['kind'];
  amount_minor: DbBigint;
  currency: string;
  status: Calculation['status'];
  held_reason: string | null;
  approver_user_id: string | null;
  approver_email: string | null;
  decided_at: Date | null;
  comment: string | null;
  supersedes: string | null;
  clawback_of: string | null;
  trace: Calculation['trace'];
  created_at: Date;
  cursor_key: string;
  sale_id: string | null;
  sale_amount_minor: DbBigint | null;
  sale_currency: string | null;
  sale_paid_at: Date | null;
  sale_source: Sale['source'] | null;
  sale_external_id: string | null;
  sale_status: Sale['status'] | null;
  sale_refunded_minor: DbBigint | null;
  notifications: { kind: 'reminder' | 'escalation'; createdAt: string }[];
}

const toCalculation = (r: CalculationRow): Calculation => ({
  id: r.id,
  transactionId: r.transaction_id,
  teamMemberId: r.team_member_id,
  teamMemberName: r.team_member_name ?? '',
  planVersionId: r.plan_version_id,
  planName: r.plan_name,
  kind: r.kind,
  amountMinor: minorFromDb(r.amount_minor),
  currency: r.currency,
  status: r.status,
  heldReason: r.held_reason,
  approverUserId: r.approver_user_id,
  approverEmail: r.approver_email,
  decidedAt: isoOrNull(r.decided_at),
  comment: r.comment,
  supersedes: r.supersedes,
  clawbackOf: r.clawback_of,
  trace: r.trace,
  sale: r.sale_id
    ? {
        amountMinor: minorFromDb(r.sale_amount_minor!),
        currency: r.sale_currency!,
        paidAt: iso(r.sale_paid_at!),
        source: r.sale_source!,
        externalId: r.sale_external_id!,
        status: r.sale_status!,
        refundedMinor: minorFromDb(r.sale_refunded_minor!),
      }
    : null,
  notifications: r.notifications,
  createdAt: iso(r.created_at),
});

const selectCalculations = (tx: Tx, orgId: string) => tx`
  select c.id, c.transaction_id, c.team_member_id, t.full_name as team_member_name, c.plan_version_id, p.name as plan_name,
    c.kind, c.amount_minor, c.currency, c.status, c.held_reason, c.approver_user_id, u.email as approver_email, c.decided_at,
    c.comment, c.supersedes, c.clawback_of, c.trace, c.created_at, c.created_at::text as cursor_key,
    s.id as sale_id, s.amount_minor as sale_amount_minor, s.currency as sale_currency, s.paid_at as sale_paid_at,
    s.source as sale_source, s.external_id as sale_external_id, s.status as sale_status, s.refunded_minor as sale_refunded_minor,
    coalesce((select json_agg(json_build_object('kind', n.kind,
                'createdAt', to_char(n.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) order by n.created_at, n.id)
              from public.commission_notifications n
              where n.organization_id = c.organization_id and n.calculation_id = c.id), '[]'::json) as notifications
  from public.commission_calculations c
  left join public.team_members t on t.organization_id = c.organization_id and t.id = c.team_member_id
  left join public.commission_plan_versions v on v.organization_id = c.organization_id and v.id = c.plan_version_id
  left join public.commission_plans p on p.organization_id = v.organization_id and p.id = v.plan_id
  left join public.sales_transactions s on s.organization_id = c.organization_id and s.id = c.transaction_id
  left join app.org_member_profiles(${orgId}) u on u.user_id = c.approver_user_id
  where c.organization_id = ${orgId}`;

/** One calculation, or 404 (another organization's, a colleague's for a sales rep, or none). */
export async function loadCalculation(tx: Tx, orgId: string, id: string): Promise<Calculation> {
  const [row] = await tx<CalculationRow[]>`${selectCalculations(tx, orgId)} and c.id = ${id}`;
  if (!row) throw new HttpError(404, 'No such commission');
  return toCalculation(row);
}

export interface CalculationFilter {
  ids?: string[];
  transactionId?: string;
  teamMemberId?: string;
  statuses?: Calculation['status'][];
  kind?: Calculation['kind'];
  /** created_at, UTC days, both inclusive. */
  from?: string;
  to?: string;
  cursor?: string;
  /** Without a limit every matching row comes back (nextCursor null): for one sale's few rows. */
  limit?: number;
  /** Newest first (default), or oldest first (a sale's history). */
  order?: 'newest' | 'oldest';
}

/** Calculations the caller may see, filtered; paginated when `limit` is given. */
export async function loadCalculations(tx: Tx, orgId: string, filter: CalculationFilter = {}): Promise<Page<Calculation>> {
  const after = decodeCursor(filter.cursor);
  const oldest = filter.order === 'oldest';
  const rows = await tx<CalculationRow[]>`
    ${selectCalculations(tx, orgId)}
      ${filter.ids ? tx`and c.id = any (${filter.ids}::uuid[])` : tx``}
      ${filter.transactionId ? tx`and c.transaction_id = ${filter.transactionId}` : tx``}
      ${filter.teamMemberId ? tx`and c.team_member_id = ${filter.teamMemberId}` : tx``}
      ${filter.statuses?.length ? tx`and c.status = any (${filter.statuses}::text[])` : tx``}
      ${filter.kind ? tx`and c.kind = ${filter.kind}` : tx``}
      ${dayRange(tx, 'c.created_at', filter.from, filter.to)}
      ${after && oldest ? tx`and (c.created_at, c.id) > (${after.k}::timestamptz, ${after.id}::uuid)` : tx``}
      ${after && !oldest ? tx`and (c.created_at, c.id) < (${after.k}::timestamptz, ${after.id}::uuid)` : tx``}
    ${oldest ? tx`order by c.created_at, c.id` : tx`order by c.created_at desc, c.id desc`}
    ${filter.limit ? tx`limit ${filter.limit + 1}` : tx``}`;
  if (!filter.limit) return { items: rows.map(toCalculation), nextCursor: null };
  const result = page(rows, filter.limit, (r) => r.cursor_key);
  return { items: result.items.map(toCalculation), nextCursor: result.nextCursor };
}
