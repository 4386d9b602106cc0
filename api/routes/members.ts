import { z } from 'zod';
import { ACTIONS, type CustomPermissions, RESOURCES, type Role } from '../../db/rbac/matrix';
import type { Tx } from '../../db/tenant';
import { hashOpaqueToken, newOpaqueToken } from '../auth/tokens';
import { HttpError } from '../http/errors';
import { defineRoute, type Membership, orgAccess, ownerAccess, type RouteDef } from '../http/route';
import { emailField } from '../schemas/common';

const INVITATION_TTL_DAYS = 7;
const ASSIGNABLE_ROLES = ['administrator', 'sales', 'bot_trainer', 'viewer'] as const;
const permissionField = z.enum(RESOURCES.flatMap((r) => ACTIONS.map((a) => `${r}:${a}` as const)));

export const memberSchema = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  email: z.string().nullable(),
  fullName: z.string().nullable(),
  role: z.string(),
  status: z.enum(['active', 'invited', 'suspended']),
  customPermissions: z.object({ grant: z.array(z.string()).optional(), deny: z.array(z.string()).optional() }),
  createdAt: z.string(),
});
const invitationSchema = z.object({ id: z.uuid(), email: z.string(), role: z.string(), expiresAt: z.string(), createdAt: z.string() });

interface MemberRow {
  id: string;
  user_id: string;
  email: string | null;
  full_name: string | null;
  role: Role;
  status: 'active' | 'invited' | 'suspended';
  custom_permissions: CustomPermissions;
  created_at: Date;
}

const toMember = (r: MemberRow) => ({
  id: r.id,
  userId: r.user_id,
  email: r.email,
  fullName: r.full_name,
  role: r.role,
  status: r.status,
  customPermissions: r.custom_permissions,
  createdAt: r.created_at.toISOString(),
});

interface InvitationRow {
  id: string;
  email: string;
  role: string;
  expires_at: Date;
  created_at: Date;
}
const toInvitation = (r: InvitationRow) => ({ id: r.id, email: r.email, role: r.role, expiresAt: r.expires_at.toISOString(), createdAt: r.created_at.toISOString() });

function listMembers(tx: Tx, orgId: string, memberId?: string) {
  return tx<MemberRow[]>`
    select m.id, m.user_id, p.email, p.full_name, m.role, m.status, m.custom_permissions, m.created_at
    from public.organization_members m
    left join app.org_member_profiles(${orgId}) p on p.user_id = m.user_id
    where m.organization_id = ${orgId} ${memberId ? tx`and m.id = ${memberId}` : tx``}
    order by m.created_at, m.id`;
}

/**
 * Holding members:create/update (e.g. by a custom grant) must not let someone hand out more
 * power than owners and administrators have delegated: only they assign the administrator
 * role or custom permissions.
 */
function assertMayAssign(member: Membership, role: string | undefined, custom: unknown): void {
  const manager = member.role === 'owner' || member.role === 'administrator';
  if (role === 'administrator' && !manager) throw new HttpError(403, 'Only owners and administrators assign the administrator role', [{ path: 'role', message: 'Not allowed for your role' }]);
  if (custom !== undefined && !manager) throw new HttpError(403, 'Only owners and administrators set custom permissions', [{ path: 'customPermissions', message: 'Not allowed for your role' }]);
}

const inviteBody = z.strictObject({ email: emailField, role: z.enum(ASSIGNABLE_ROLES) });
const patchBody = z
  .strictObject({
    role: z.enum(ASSIGNABLE_ROLES).optional(),
    status: z.enum(['active', 'suspended']).optional(),
    customPermissions: z.strictObject({ grant: z.array(permissionField).max(100).optional(), deny: z.array(permissionField).max(100).optional() }).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'Send at least one of role, status, customPermissions');
const transferBody = z.strictObject({ memberId: z.uuid() });

export const memberRoutes: RouteDef[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/members',
    summary: 'Members of the organization',
    tags: ['members'],
    access: orgAccess('members', 'read'),
    response: z.object({ items: z.array(memberSchema) }),
    async handler({ params, asUser }) {
      return { items: (await asUser((tx) => listMembers(tx, params.orgId!))).map(toMember) };
    },
  }),
  defineRoute<z.infer<typeof inviteBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/members',
    summary: 'Invite someone by email with a role; answers the link to accept (valid 7 days)',
    tags: ['members'],
    access: orgAccess('members', 'create'),
    body: inviteBody,
    status: 201,
    response: z.object({ invitation: invitationSchema, acceptUrl: z.string() }),
    errors: { 402: 'The plan allows no more users (pending invitations hold a seat)', 409: 'Already a member or already invited' },
    async handler({ params, body, member, asUser }) {
      assertMayAssign(member!, body.role, undefined);
      const token = newOpaqueToken();
      const [row] = await asUser(
        (tx) => tx<InvitationRow[]>`
          insert into public.invitations (organization_id, email, role, token_hash, invited_by, expires_at)
          values (${params.orgId!}, ${body.email}, ${body.role}, ${hashOpaqueToken(token)}, ${member!.id},
                  now() + make_interval(days => ${INVITATION_TTL_DAYS}))
          returning id, email, role, expires_at, created_at`,
      );
      // No mail server is part of the platform: the inviter shares this link.
      return { invitation: toInvitation(row!), acceptUrl: `/invitations/${token}` };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/invitations',
    summary: 'Pending invitations',
    tags: ['members'],
    access: orgAccess('members', 'read'),
    response: z.object({ items: z.array(invitationSchema) }),
    async handler({ params, asUser }) {
      const rows = await asUser(
        (tx) => tx<InvitationRow[]>`
          select id, email, role, expires_at, created_at from public.invitations
          where organization_id = ${params.orgId!} and accepted_at is null and expires_at > now()
          order by created_at desc, id`,
      );
      return { items: rows.map(toInvitation) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/orgs/:orgId/invitations/:invitationId',
    summary: 'Revoke an invitation',
    tags: ['members'],
    access: orgAccess('members', 'delete'),
    async handler({ params, asUser }) {
      const rows = await asUser((tx) => tx`delete from public.invitations where id = ${params.invitationId!} and organization_id = ${params.orgId!} returning id`);
      if (rows.length === 0) throw new HttpError(404, 'No such invitation');
      return undefined;
    },
  }),
  defineRoute<z.infer<typeof patchBody>>({
    method: 'patch',
    path: '/api/v1/orgs/:orgId/members/:memberId',
    summary: "Change a member's role, suspend or reactivate them, or set custom permissions",
    tags: ['members'],
    access: orgAccess('members', 'update'),
    body: patchBody,
    response: memberSchema,
    errors: { 402: 'Reactivating would exceed the plan', 409: 'The owner changes only by an ownership transfer' },
    async handler({ params, body, member, asUser }) {
      assertMayAssign(member!, body.role, body.customPermissions);
      return asUser(async (tx) => {
        const updated = await tx`
          update public.organization_members set
            role = coalesce(${body.role ?? null}, role),
            status = coalesce(${body.status ?? null}, status),
            custom_permissions = coalesce(${body.customPermissions ? tx.json(body.customPermissions as never) : null}, custom_permissions)
          where id = ${params.memberId!} and organization_id = ${params.orgId!}
          returning id`;
        if (updated.length === 0) throw new HttpError(404, 'No such member');
        const [row] = await listMembers(tx, params.orgId!, params.memberId!);
        return toMember(row!);
      });
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/orgs/:orgId/members/:memberId',
    summary: 'Remove a member',
    tags: ['members'],
    access: orgAccess('members', 'delete'),
    errors: { 409: 'The owner cannot be removed' },
    async handler({ params, asUser }) {
      const rows = await asUser((tx) => tx`delete from public.organization_members where id = ${params.memberId!} and organization_id = ${params.orgId!} returning id`);
      if (rows.length === 0) throw new HttpError(404, 'No such member');
      return undefined;
    },
  }),
  defineRoute<z.infer<typeof transferBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/transfer-ownership',
    summary: 'Hand the organization to another active member; you become an administrator',
    tags: ['members'],
    access: ownerAccess('organization', 'update'),
    body: transferBody,
    response: z.object({ items: z.array(memberSchema) }),
    errors: { 409: 'The new owner must be another active member' },
    async handler({ params, body, asUser }) {
      return asUser(async (tx) => {
        await tx`select app.transfer_ownership(${params.orgId!}, ${body.memberId})`;
        return { items: (await listMembers(tx, params.orgId!)).map(toMember) };
      });
    },
  }),
];
