import { randomUUID } from 'node:crypto';
import type { Sql } from '../../db/client';
import { type CustomPermissions, type Role, ROLES } from '../../db/rbac/matrix';

// Fixtures written as the migration owner (RLS bypassed): the tests then act as users.

export async function createUser(sql: Sql, label = 'user'): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into auth.users (email) values (${`${label}-${randomUUID()}@example.test`}) returning id`;
  return row!.id;
}

export async function createOrg(sql: Sql, label = 'org'): Promise<string> {
  const slug = `${label}-${randomUUID().slice(0, 8)}`;
  const [row] = await sql<{ id: string }[]>`
    insert into public.organizations (name, slug, max_users, max_workflows) values (${label}, ${slug}, 100, 100) returning id`;
  return row!.id;
}

export async function addMember(sql: Sql, orgId: string, userId: string, role: Role, custom: CustomPermissions = {}): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into public.organization_members (organization_id, user_id, role, custom_permissions)
    values (${orgId}, ${userId}, ${role}, ${sql.json(custom as never)}) returning id`;
  return row!.id;
}

export interface Tenant {
  orgId: string;
  /** One user per role, each an active member. */
  users: Record<Role, { userId: string; memberId: string }>;
  teamMemberId: string;
  invitationId: string;
}

/** An organization with one member of every role, a team member and a pending invitation. */
export async function createTenant(sql: Sql, label: string): Promise<Tenant> {
  const orgId = await createOrg(sql, label);
  const users = {} as Tenant['users'];
  for (const role of ROLES) {
    const userId = await createUser(sql, `${label}-${role}`);
    users[role] = { userId, memberId: await addMember(sql, orgId, userId, role) };
  }
  const [team] = await sql<{ id: string }[]>`
    insert into public.team_members (organization_id, full_name, external_id)
    values (${orgId}, ${`${label} rep`}, ${`ghl-${randomUUID()}`}) returning id`;
  const [invitation] = await sql<{ id: string }[]>`
    insert into public.invitations (organization_id, email, role, token_hash, invited_by, expires_at)
    values (${orgId}, ${`invitee-${randomUUID()}@example.test`}, 'viewer', ${randomUUID()}, ${users.owner.memberId}, now() + interval '7 days')
    returning id`;
  return { orgId, users, teamMemberId: team!.id, invitationId: invitation!.id };
}
