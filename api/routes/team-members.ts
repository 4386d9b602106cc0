import { z } from 'zod';
import type { Tx } from '../../db/tenant';
import { containsPattern, decodeCursor, page } from '../http/cursor';
import { HttpError } from '../http/errors';
import { defineRoute, orgAccess, type RouteDef } from '../http/route';
import { nameField, pageQuery } from '../schemas/common';

export const teamMemberSchema = z.object({
  id: z.uuid(),
  externalId: z.string().nullable(),
  email: z.string().nullable(),
  fullName: z.string(),
  userId: z.uuid().nullable(),
  memberType: z.enum(['sales', 'support', 'operations']),
  commissionRateBps: z.number().int().nullable(),
  commissionType: z.enum(['percentage', 'flat']).nullable(),
  // Set while the member is in the trash; restorableUntil is when the trash lets go of it.
  deletedAt: z.string().nullable(),
  restorableUntil: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

interface TeamMemberRow {
  id: string;
  external_id: string | null;
  email: string | null;
  full_name: string;
  user_id: string | null;
  member_type: 'sales' | 'support' | 'operations';
  commission_rate_bps: number | null;
  commission_type: 'percentage' | 'flat' | null;
  deleted_at: Date | null;
  restorable_until: Date | null;
  created_at: Date;
  updated_at: Date;
}

const toTeamMember = (r: TeamMemberRow) => ({
  id: r.id,
  externalId: r.external_id,
  email: r.email,
  fullName: r.full_name,
  userId: r.user_id,
  memberType: r.member_type,
  commissionRateBps: r.commission_rate_bps,
  commissionType: r.commission_type,
  deletedAt: r.deleted_at?.toISOString() ?? null,
  restorableUntil: r.deleted_at ? (r.restorable_until?.toISOString() ?? null) : null,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

const fields = {
  fullName: nameField,
  email: z.string().trim().toLowerCase().max(254).pipe(z.email('Enter a valid email address')).nullable(),
  // The GoHighLevel user id this person has in the location.
  externalId: z.string().trim().min(1).max(100).nullable(),
  userId: z.uuid().nullable(),
  memberType: z.enum(['sales', 'support', 'operations']),
  // Basis points: 1250 = 12.5 %. Integers only, never a float.
  commissionRateBps: z.number().int('Basis points are whole numbers (1250 = 12.5%)').min(0).max(10_000).nullable(),
  commissionType: z.enum(['percentage', 'flat']).nullable(),
};
const createBody = z.strictObject({
  fullName: fields.fullName,
  email: fields.email.optional(),
  externalId: fields.externalId.optional(),
  userId: fields.userId.optional(),
  memberType: fields.memberType.optional(),
  commissionRateBps: fields.commissionRateBps.optional(),
  commissionType: fields.commissionType.optional(),
});
const patchBody = createBody.partial().refine((b) => Object.keys(b).length > 0, 'Send at least one field');
const listQuery = z.strictObject({
  ...pageQuery,
  q: z.string().trim().max(200).optional(),
  // The trash: only deleted members (restorable until their window ends).
  deleted: z.enum(['true', 'false']).optional(),
});

const COLUMNS = {
  fullName: 'full_name',
  email: 'email',
  externalId: 'external_id',
  userId: 'user_id',
  memberType: 'member_type',
  commissionRateBps: 'commission_rate_bps',
  commissionType: 'commission_type',
} as const;

/** Constraint violations name the field the caller sent. */
async function withFieldErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as { code?: string; constraint_name?: string };
    if (e?.code === '23505' && e.constraint_name?.includes('external_id')) {
      throw new HttpError(409, 'Another team member has this GHL user id', [{ path: 'externalId', message: 'Already used in this organization' }]);
    }
    if (e?.code === '23503' && e.constraint_name === 'team_members_user_is_member') {
      throw new HttpError(422, 'Link only to a login that is a member of this organization', [{ path: 'userId', message: 'Not a member of this organization' }]);
    }
    throw err;
  }
}

/** Every column, and until when a deleted member may be restored. */
const selectMember = (tx: Tx) => tx`
  select t.*, case when t.deleted_at is not null then app.restorable_until(t.organization_id, t.deleted_at) end as restorable_until from public.team_members t`;

async function readRow(tx: Tx, orgId: string, id: string, lock = false): Promise<TeamMemberRow> {
  const [row] = await tx<TeamMemberRow[]>`${selectMember(tx)} where t.id = ${id} and t.organization_id = ${orgId} ${lock ? tx`for update` : tx``}`;
  if (!row) throw new HttpError(404, 'No such team member');
  return row;
}

/** A deleted member is read (its name stays on past commissions) but not changed until restored. */
async function readLive(tx: Tx, orgId: string, id: string): Promise<TeamMemberRow> {
  const row = await readRow(tx, orgId, id, true);
  if (row.deleted_at) throw new HttpError(409, 'This team member is deleted: restore them first');
  return row;
}

async function readOne(tx: Tx, orgId: string, id: string) {
  return toTeamMember(await readRow(tx, orgId, id));
}

export const teamMemberRoutes: RouteDef[] = [
  defineRoute<Record<string, never>, z.infer<typeof listQuery>>({
    method: 'get',
    path: '/api/v1/orgs/:orgId/team-members',
    summary: 'Team members (sales reps and staff, with their GHL user id), by name; q searches name, email and GHL id; deleted=true lists the trash',
    tags: ['team members'],
    access: orgAccess('team_members', 'read'),
    query: listQuery,
    response: z.object({ items: z.array(teamMemberSchema), nextCursor: z.string().nullable() }),
    async handler({ params, query, asUser }) {
      const after = decodeCursor(query.cursor);
      const like = containsPattern(query.q);
      const rows = await asUser(
        (tx) => tx<TeamMemberRow[]>`
          ${selectMember(tx)}
          where t.organization_id = ${params.orgId!}
            ${query.deleted === 'true' ? tx`and t.deleted_at is not null` : tx`and t.deleted_at is null`}
            ${like ? tx`and (t.full_name ilike ${like} or t.email ilike ${like} or t.external_id ilike ${like})` : tx``}
            ${after ? tx`and (t.full_name, t.id) > (${after.k}, ${after.id})` : tx``}
          order by t.full_name, t.id
          limit ${query.limit + 1}`,
      );
      const result = page(rows, query.limit, (r) => r.full_name);
      return { items: result.items.map(toTeamMember), nextCursor: result.nextCursor };
    },
  }),
  defineRoute<z.infer<typeof createBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/team-members',
    summary: 'Add a team member',
    tags: ['team members'],
    access: orgAccess('team_members', 'create'),
    body: createBody,
    status: 201,
    response: teamMemberSchema,
    errors: { 409: 'The GHL user id is already used by a team member of this organization' },
    async handler({ params, body, asUser }) {
      const row = { organization_id: params.orgId!, ...Object.fromEntries(Object.entries(body).map(([k, v]) => [COLUMNS[k as keyof typeof COLUMNS], v])) };
      return withFieldErrors(() =>
        asUser(async (tx) => {
          const [inserted] = await tx<{ id: string }[]>`insert into public.team_members ${tx(row)} returning id`;
          return readOne(tx, params.orgId!, inserted!.id);
        }),
      );
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/team-members/:teamMemberId',
    summary: 'A team member',
    tags: ['team members'],
    access: orgAccess('team_members', 'read'),
    response: teamMemberSchema,
    async handler({ params, asUser }) {
      return asUser((tx) => readOne(tx, params.orgId!, params.teamMemberId!));
    },
  }),
  defineRoute<z.infer<typeof patchBody>>({
    method: 'patch',
    path: '/api/v1/orgs/:orgId/team-members/:teamMemberId',
    summary: 'Change a team member (null clears an optional field)',
    tags: ['team members'],
    access: orgAccess('team_members', 'update'),
    body: patchBody,
    response: teamMemberSchema,
    errors: { 409: 'The team member is deleted, or the GHL user id is already used' },
    async handler({ params, body, asUser }) {
      const changes = Object.fromEntries(Object.entries(body).map(([k, v]) => [COLUMNS[k as keyof typeof COLUMNS], v]));
      return withFieldErrors(() =>
        asUser(async (tx) => {
          await readLive(tx, params.orgId!, params.teamMemberId!);
          const [row] = await tx<{ id: string }[]>`
            update public.team_members set ${tx(changes)}
            where id = ${params.teamMemberId!} and organization_id = ${params.orgId!} returning id`;
          if (!row) throw new HttpError(404, 'No such team member');
          return readOne(tx, params.orgId!, row.id);
        }),
      );
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/orgs/:orgId/team-members/:teamMemberId',
    summary:
      'Delete a team member: gone from lists, plans, attribution and new commissions; past sales, commissions and payouts keep their name; ' +
      'restorable during the trash retention window',
    tags: ['team members'],
    access: orgAccess('team_members', 'delete'),
    errors: { 409: 'The team member is already deleted' },
    async handler({ params, asUser }) {
      await asUser(async (tx) => {
        const row = await readRow(tx, params.orgId!, params.teamMemberId!, true);
        if (row.deleted_at) throw new HttpError(409, 'This team member is already deleted');
        await tx`update public.team_members set deleted_at = now(), deleted_by = auth.uid()
          where id = ${row.id} and organization_id = ${params.orgId!}`;
      });
      return undefined;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/orgs/:orgId/team-members/:teamMemberId/restore',
    summary: 'Restore a deleted team member within the trash retention window (with their plan membership)',
    tags: ['team members'],
    access: orgAccess('team_members', 'delete'),
    response: teamMemberSchema,
    errors: { 409: 'Not deleted, past the retention window, or another team member now has their GHL user id' },
    async handler({ params, asUser }) {
      return withFieldErrors(() =>
        asUser(async (tx) => {
          const orgId = params.orgId!;
          const row = await readRow(tx, orgId, params.teamMemberId!, true);
          if (!row.deleted_at) throw new HttpError(409, 'This team member is not deleted');
          const [open] = await tx<{ ok: boolean }[]>`select app.in_restore_window(${orgId}, ${row.deleted_at}) as ok`;
          if (!open?.ok) {
            throw new HttpError(409, `This team member can no longer be restored: the trash kept them until ${row.restorable_until?.toISOString() ?? 'the end of its retention window'}`);
          }
          if (row.external_id) {
            const [taken] = await tx<{ full_name: string }[]>`
              select full_name from public.team_members where organization_id = ${orgId} and external_id = ${row.external_id} and deleted_at is null`;
            if (taken) {
              throw new HttpError(409, `${taken.full_name} now has this GHL user id (${row.external_id}): change or delete them first`, [
                { path: 'externalId', message: 'Already used by a team member of this organization' },
              ]);
            }
          }
          await tx`update public.team_members set deleted_at = null, deleted_by = null where id = ${row.id} and organization_id = ${orgId}`;
          return readOne(tx, orgId, row.id);
        }),
      );
    },
  }),
];
