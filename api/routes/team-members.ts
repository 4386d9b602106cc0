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
const listQuery = z.strictObject({ ...pageQuery, q: z.string().trim().max(200).optional() });

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

async function readOne(tx: Tx, orgId: string, id: string) {
  const [row] = await tx<TeamMemberRow[]>`select * from public.team_members where id = ${id} and organization_id = ${orgId}`;
  if (!row) throw new HttpError(404, 'No such team member');
  return toTeamMember(row);
}

export const teamMemberRoutes: RouteDef[] = [
  defineRoute<Record<string, never>, z.infer<typeof listQuery>>({
    method: 'get',
    path: '/api/v1/orgs/:orgId/team-members',
    summary: 'Team members (sales reps and staff, with their GHL user id), by name; q searches name, email and GHL id',
    tags: ['team members'],
    access: orgAccess('team_members', 'read'),
    query: listQuery,
    response: z.object({ items: z.array(teamMemberSchema), nextCursor: z.string().nullable() }),
    async handler({ params, query, asUser }) {
      const after = decodeCursor(query.cursor);
      const like = containsPattern(query.q);
      const rows = await asUser(
        (tx) => tx<TeamMemberRow[]>`
          select * from public.team_members
          where organization_id = ${params.orgId!}
            ${like ? tx`and (full_name ilike ${like} or email ilike ${like} or external_id ilike ${like})` : tx``}
            ${after ? tx`and (full_name, id) > (${after.k}, ${after.id})` : tx``}
          order by full_name, id
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
    errors: { 409: 'The GHL user id is already used in this organization' },
    async handler({ params, body, asUser }) {
      const row = { organization_id: params.orgId!, ...Object.fromEntries(Object.entries(body).map(([k, v]) => [COLUMNS[k as keyof typeof COLUMNS], v])) };
      return withFieldErrors(() =>
        asUser(async (tx) => {
          const [inserted] = await tx<TeamMemberRow[]>`insert into public.team_members ${tx(row)} returning *`;
          return toTeamMember(inserted!);
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
    async handler({ params, body, asUser }) {
      const changes = Object.fromEntries(Object.entries(body).map(([k, v]) => [COLUMNS[k as keyof typeof COLUMNS], v]));
      return withFieldErrors(() =>
        asUser(async (tx) => {
          const [row] = await tx<TeamMemberRow[]>`
            update public.team_members set ${tx(changes)}
            where id = ${params.teamMemberId!} and organization_id = ${params.orgId!} returning *`;
          if (!row) throw new HttpError(404, 'No such team member');
          return toTeamMember(row);
        }),
      );
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/orgs/:orgId/team-members/:teamMemberId',
    summary: 'Remove a team member',
    tags: ['team members'],
    access: orgAccess('team_members', 'delete'),
    async handler({ params, asUser }) {
      const rows = await asUser((tx) => tx`delete from public.team_members where id = ${params.teamMemberId!} and organization_id = ${params.orgId!} returning id`);
      if (rows.length === 0) throw new HttpError(404, 'No such team member');
      return undefined;
    },
  }),
];
