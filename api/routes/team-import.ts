/*
 * Team import: the location's GHL users become team members (external_id = GHL user id), so
 * sales can be attributed to them. A user already in the team by id is updated; one whose email
 * matches a team member without a GHL id is linked to it; anyone else is created. The preview
 * and the import compute the same plan; the import recomputes it rather than trusting a client.
 */
import { withGhl } from '../../activities/integrations/ghl-access';
import { GhlError, type GhlUser } from '../../activities/ghl';
import type { Tx } from '../../db/tenant';
import { HttpError } from '../http/errors';
import { defineRoute, orgAccess, type RouteDef, type Services } from '../http/route';
import { loadIntegration } from './integrations';

interface TeamRow {
  id: string;
  external_id: string | null;
  email: string | null;
  full_name: string;
}

interface PlanItem {
  ghlUserId: string;
  name: string;
  email: string | null;
  action: 'create' | 'update' | 'unchanged';
  teamMemberId: string | null;
  changes: { field: 'fullName' | 'email' | 'externalId'; from: string | null; to: string | null }[];
}

const PAGE = 100;
const MAX_USERS = 2_000;

const nameOf = (u: GhlUser) => (u.name?.trim() || [u.firstName, u.lastName].filter(Boolean).join(' ').trim() || u.email || u.id).slice(0, 200);

async function ghlUsers(services: Services, orgId: string, integrationId: string, companyId: string): Promise<GhlUser[]> {
  try {
    return await withGhl(services.sql, services.ghl, orgId, integrationId, async ({ client }) => {
      const users: GhlUser[] = [];
      for (let skip = 0; skip < MAX_USERS; skip += PAGE) {
        const page = await client.users.search({ companyId, skip, limit: PAGE });
        users.push(...page.users);
        if (page.users.length < PAGE || users.length >= page.count) break;
      }
      return users.filter((u) => !u.deleted);
    });
  } catch (err) {
    if (err instanceof GhlError) throw new HttpError(502, `GoHighLevel answered ${err.status}: ${err.message}`);
    throw err;
  }
}

function plan(users: GhlUser[], team: TeamRow[]): PlanItem[] {
  const byExternal = new Map(team.filter((t) => t.external_id).map((t) => [t.external_id!, t]));
  const byEmail = new Map(team.filter((t) => !t.external_id && t.email).map((t) => [t.email!.toLowerCase(), t]));
  return users.map((u) => {
    const email = u.email?.trim().toLowerCase() || null;
    const name = nameOf(u);
    const match = byExternal.get(u.id) ?? (email ? byEmail.get(email) : undefined);
    if (!match) return { ghlUserId: u.id, name, email, action: 'create', teamMemberId: null, changes: [] };
    const changes: PlanItem['changes'] = [];
    if (match.external_id !== u.id) changes.push({ field: 'externalId', from: match.external_id, to: u.id });
    if (match.full_name !== name) changes.push({ field: 'fullName', from: match.full_name, to: name });
    if (email && match.email !== email) changes.push({ field: 'email', from: match.email, to: email });
    return { ghlUserId: u.id, name, email, action: changes.length ? 'update' : 'unchanged', teamMemberId: match.id, changes };
  });
}

async function computePlan(tx: Tx, services: Services, orgId: string, integrationId: string): Promise<PlanItem[]> {
  const integration = await loadIntegration(tx, orgId, integrationId);
  if (!integration.company_id) {
    throw new HttpError(422, "Set the location's company (agency) id first: GoHighLevel lists users by company", [{ path: 'companyId', message: 'is not set on this integration' }]);
  }
  // Deleted members are not matched: a GHL user who is still there comes back as a new member
  // (the deleted one keeps its history, and can no longer be restored over the new one).
  const team = await tx<TeamRow[]>`select id, external_id, email, full_name from public.team_members where organization_id = ${orgId} and deleted_at is null`;
  return plan(await ghlUsers(services, orgId, integrationId, integration.company_id), team);
}

export const teamImportRoutes: RouteDef[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/integrations/:integrationId/team-import',
    summary: "Preview the team import: each GHL user of the location, and whether it creates, updates (with the changes) or leaves a team member",
    tags: ['integrations'],
    access: orgAccess('team_members', 'create'),
    async handler({ params, asUser, services }) {
      const items = await asUser((tx) => computePlan(tx, services, params.orgId!, params.integrationId!));
      return { items };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/orgs/:orgId/integrations/:integrationId/team-import',
    summary: 'Import the location\'s GHL users as team members (external_id = GHL user id; matched by id, then by email)',
    tags: ['integrations'],
    access: orgAccess('team_members', 'create'),
    async handler({ params, asUser, services }) {
      return asUser(async (tx) => {
        const items = await computePlan(tx, services, params.orgId!, params.integrationId!);
        for (const item of items) {
          if (item.action === 'create') {
            await tx`insert into public.team_members (organization_id, external_id, email, full_name)
              values (${params.orgId!}, ${item.ghlUserId}, ${item.email}, ${item.name})`;
          } else if (item.action === 'update') {
            await tx`update public.team_members set external_id = ${item.ghlUserId}, full_name = ${item.name}, email = coalesce(${item.email}, email)
              where id = ${item.teamMemberId} and organization_id = ${params.orgId!}`;
          }
        }
        const count = (a: PlanItem['action']) => items.filter((i) => i.action === a).length;
        return { created: count('create'), updated: count('update'), unchanged: count('unchanged') };
      });
    },
  }),
];
