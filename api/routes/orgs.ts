import { z } from 'zod';
import { can } from '../../db/rbac/matrix';
import type { Tx } from '../../db/tenant';
import { HttpError } from '../http/errors';
import { defineRoute, orgAccess, type RouteDef, userAccess } from '../http/route';
import { nameField } from '../schemas/common';

const PLANS = ['free', 'starter', 'professional', 'enterprise'] as const;

export const organizationSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  slug: z.string(),
  subscriptionStatus: z.enum(['trial', 'active', 'inactive', 'cancelled']),
  subscriptionPlan: z.enum(PLANS),
  limits: z.object({ maxUsers: z.number(), maxWorkflows: z.number(), maxBots: z.number(), maxExecutionsPerMonth: z.number() }),
  usage: z.object({ users: z.number(), workflows: z.number(), bots: z.number(), executionsThisMonth: z.number() }),
  settings: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

interface OrganizationRow {
  id: string;
  name: string;
  slug: string;
  subscription_status: string;
  subscription_plan: string;
  max_users: number;
  max_workflows: number;
  max_bots: number;
  max_executions_per_month: number;
  current_users: number;
  current_workflows: number;
  current_bots: number;
  current_month_executions: number;
  settings: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

export function toOrganization(r: OrganizationRow) {
  return {
    id: r.id,
    name: r.name,
    slug: r.slug,
    subscriptionStatus: r.subscription_status,
    subscriptionPlan: r.subscription_plan,
    limits: { maxUsers: r.max_users, maxWorkflows: r.max_workflows, maxBots: r.max_bots, maxExecutionsPerMonth: r.max_executions_per_month },
    usage: { users: r.current_users, workflows: r.current_workflows, bots: r.current_bots, executionsThisMonth: r.current_month_executions },
    settings: r.settings,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

async function readOrganization(tx: Tx, id: string) {
  const [row] = await tx<OrganizationRow[]>`select * from public.organizations where id = ${id}`;
  if (!row) throw new HttpError(404, 'No such organization');
  return toOrganization(row);
}

const createBody = z.strictObject({ name: nameField });
const settingsField = z
  .record(z.string().min(1).max(100), z.json())
  .refine((s) => Object.keys(s).length <= 100, 'At most 100 settings');
const patchBody = z.strictObject({
  name: nameField.optional(),
  settings: settingsField.optional(),
  subscriptionPlan: z.enum(PLANS).optional(),
});

export const orgRoutes: RouteDef[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs',
    summary: 'Organizations you belong to',
    tags: ['organizations'],
    access: userAccess,
    response: z.object({ items: z.array(organizationSchema) }),
    async handler({ asUser }) {
      const rows = await asUser((tx) => tx<OrganizationRow[]>`select * from public.organizations order by name, id`);
      return { items: rows.map(toOrganization) };
    },
  }),
  defineRoute<z.infer<typeof createBody>>({
    method: 'post',
    path: '/api/v1/orgs',
    summary: 'Create another organization; you become its owner',
    tags: ['organizations'],
    access: userAccess,
    body: createBody,
    status: 201,
    response: organizationSchema,
    async handler({ body, asUser }) {
      return asUser(async (tx) => {
        const [org] = await tx<{ id: string }[]>`select id from app.create_organization(${body.name})`;
        return readOrganization(tx, org!.id);
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId',
    summary: 'An organization: settings, plan, limits and usage',
    tags: ['organizations'],
    access: orgAccess('organization', 'read'),
    response: organizationSchema,
    async handler({ params, asUser }) {
      return asUser((tx) => readOrganization(tx, params.orgId!));
    },
  }),
  defineRoute<z.infer<typeof patchBody>>({
    method: 'patch',
    path: '/api/v1/orgs/:orgId',
    summary: 'Rename, change settings (merged key by key) or change the plan (needs billing:update)',
    tags: ['organizations'],
    access: orgAccess('organization', 'update'),
    body: patchBody,
    response: organizationSchema,
    async handler({ params, body, member, asUser }) {
      if (body.subscriptionPlan !== undefined && !can(member!.role, 'billing', 'update', member!.customPermissions)) {
        throw new HttpError(403, 'Changing the plan needs billing:update', [{ path: 'subscriptionPlan', message: 'Only the owner can change the plan' }]);
      }
      return asUser(async (tx) => {
        const rows = await tx`
          update public.organizations set
            name = coalesce(${body.name ?? null}, name),
            settings = settings || ${tx.json((body.settings ?? {}) as never)},
            subscription_plan = coalesce(${body.subscriptionPlan ?? null}, subscription_plan)
          where id = ${params.orgId!}
          returning id`;
        if (rows.length === 0) throw new HttpError(404, 'No such organization');
        return readOrganization(tx, params.orgId!);
      });
    },
  }),
];
