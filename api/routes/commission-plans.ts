import { z } from 'zod';
import { planVersionSchema, previewPlan } from '../../commissions';
import { minorUnitsSchema } from '../../commissions/money';
import type { Tx } from '../../db/tenant';
import { type Plan, planSchema, type PlanVersionResponse, planVersionResponseSchema } from '../commissions/views';
import { HttpError } from '../http/errors';
import { defineRoute, orgAccess, type RouteDef } from '../http/route';
import { nameField } from '../schemas/common';

/*
 * Commission plans and their effective-dated versions. A version's rules are validated by the
 * rules engine's own schema (so a saved plan is always one the engine can run) and stored as
 * {rules, overrides, caps}; a version a calculation used never changes nor goes away (FL409).
 */

/** A version as the editor sends it: the engine's plan version without the ids the server assigns. */
export const versionInputSchema = planVersionSchema
  .omit({ planId: true, version: true })
  .extend({ note: z.string().trim().max(1000).optional() });
type VersionInput = z.infer<typeof versionInputSchema>;

const memberIds = z
  .array(z.uuid())
  .max(1000)
  .refine((ids) => new Set(ids).size === ids.length, 'A team member is listed twice')
  .describe('Team members on this plan; one listed here leaves any other plan');
const createBody = z.strictObject({
  name: nameField,
  description: z.string().max(2000).optional(),
  isActive: z.boolean().optional(),
  memberIds: memberIds.optional(),
  version: versionInputSchema,
});
const patchBody = createBody
  .omit({ version: true })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'Send at least one field', when: (p) => p.issues.length === 0 });
const previewBody = z.strictObject({
  version: planVersionSchema.pick({ currency: true, rules: true, overrides: true, caps: true }).strict(),
  samplesMinor: z.array(minorUnitsSchema).min(1).max(50),
  productId: z.string().min(1).max(100).optional(),
  pipelineId: z.string().min(1).max(100).optional(),
  volumeBeforeMinor: minorUnitsSchema.optional(),
  commissionToDateMinor: minorUnitsSchema.optional(),
});
const traceStep = z.object({ rule: z.string(), note: z.string() }).loose();
const previewResponse = z.object({
  rows: z.array(
    z.object({
      saleAmountMinor: z.number().int(),
      commissionMinor: z.number().int().optional(),
      effectiveBps: z.number().int().optional(),
      heldForReview: z.object({ code: z.string(), reason: z.string() }).optional(),
      trace: z.array(traceStep),
    }),
  ),
});

// ------------------------------------------------------------------------------------------
// Reading plans
// ------------------------------------------------------------------------------------------
interface PlanRow {
  id: string;
  name: string;
  description: string;
  is_active: boolean;
  is_default: boolean;
  member_ids: string[];
  created_at: Date;
  updated_at: Date;
}
interface VersionRow {
  id: string;
  plan_id: string;
  version: number;
  effective_from: Date;
  currency: string;
  rules: { rules?: unknown[]; overrides?: unknown[]; caps?: object };
  note: string | null;
  used: boolean;
  in_force: boolean;
  created_at: Date;
}

const toVersion = (r: VersionRow): PlanVersionResponse => ({
  id: r.id,
  version: r.version,
  effectiveFrom: r.effective_from.toISOString(),
  currency: r.currency,
  rules: (r.rules.rules ?? []) as PlanVersionResponse['rules'],
  overrides: (r.rules.overrides ?? []) as PlanVersionResponse['overrides'],
  caps: (r.rules.caps ?? {}) as PlanVersionResponse['caps'],
  note: r.note,
  used: r.used,
  createdAt: r.created_at.toISOString(),
});

/** Plans of the organization (or one), by name. */
function planRows(tx: Tx, orgId: string, planId?: string) {
  return tx<PlanRow[]>`
    select p.id, p.name, p.description, p.is_active, p.created_at, p.updated_at,
      exists (select 1 from public.commission_settings s where s.organization_id = p.organization_id and s.default_plan_id = p.id) as is_default,
      -- Live members only: a deleted member's membership waits for their restore.
      coalesce((select array_agg(m.team_member_id order by m.team_member_id) from public.commission_plan_members m
                join public.team_members t on t.organization_id = m.organization_id and t.id = m.team_member_id and t.deleted_at is null
                where m.organization_id = p.organization_id and m.plan_id = p.id), '{}') as member_ids
    from public.commission_plans p
    where p.organization_id = ${orgId} ${planId ? tx`and p.id = ${planId}` : tx``}
    order by p.name, p.id`;
}

/** Versions, newest effectiveFrom first, numbered 1.. per plan in order of effectiveFrom. */
function versionRows(tx: Tx, orgId: string, planId?: string) {
  return tx<VersionRow[]>`
    select v.id, v.plan_id, v.effective_from, v.currency, v.rules, v.note, v.created_at,
      row_number() over (partition by v.plan_id order by v.effective_from, v.created_at, v.id)::int as version,
      app.commission_plan_version_used(v.organization_id, v.id) as used,
      v.effective_from <= now() as in_force
    from public.commission_plan_versions v
    where v.organization_id = ${orgId} ${planId ? tx`and v.plan_id = ${planId}` : tx``}
    order by v.effective_from desc, v.created_at desc, v.id desc`;
}

const toPlan = (p: PlanRow, versions: VersionRow[]): Plan => {
  const own = versions.filter((v) => v.plan_id === p.id);
  const current = own.find((v) => v.in_force);
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    isActive: p.is_active,
    isDefault: p.is_default,
    memberIds: p.member_ids,
    currentVersion: current ? toVersion(current) : null,
    versionCount: own.length,
    createdAt: p.created_at.toISOString(),
    updatedAt: p.updated_at.toISOString(),
  };
};

async function loadPlan(tx: Tx, orgId: string, planId: string): Promise<Plan & { versions: PlanVersionResponse[] }> {
  const [row] = await planRows(tx, orgId, planId);
  if (!row) throw new HttpError(404, 'No such commission plan');
  const versions = await versionRows(tx, orgId, planId);
  return { ...toPlan(row, versions), versions: versions.map(toVersion) };
}

// ------------------------------------------------------------------------------------------
// Writing plans
// ------------------------------------------------------------------------------------------
async function insertVersion(tx: Tx, orgId: string, planId: string, version: VersionInput, path: string): Promise<string> {
  const { effectiveFrom, currency, rules, overrides, caps, note } = version;
  try {
    const [row] = await tx<{ id: string }[]>`
      insert into public.commission_plan_versions (organization_id, plan_id, effective_from, currency, rules, note)
      values (${orgId}, ${planId}, ${effectiveFrom}, ${currency}, ${tx.json({ rules, overrides, caps } as never)}, ${note ?? null})
      returning id`;
    return row!.id;
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      throw new HttpError(409, 'This plan already has a version starting at that instant', [
        { path: `${path}effectiveFrom`, message: 'Another version of this plan starts at this instant: pick another time' },
      ]);
    }
    throw err;
  }
}

/** Puts exactly these team members on the plan; a member on another plan moves to this one. */
async function setMembers(tx: Tx, orgId: string, planId: string, ids: string[]): Promise<void> {
  const found = new Map((await tx<{ id: string; deleted_at: Date | null }[]>`
    select id, deleted_at from public.team_members where organization_id = ${orgId} and id = any (${ids}::uuid[])`).map((r) => [r.id, r]));
  const missing = ids.flatMap((id, i) => {
    const member = found.get(id);
    if (!member) return [{ path: `memberIds.${i}`, message: 'Not a team member of this organization' }];
    return member.deleted_at ? [{ path: `memberIds.${i}`, message: 'A deleted team member: restore them first' }] : [];
  });
  if (missing.length) throw new HttpError(422, 'Unknown or deleted team members', missing);
  // A deleted member's membership stays (restoring them puts them back on their plan); the
  // caller neither sees nor sends it.
  await tx`delete from public.commission_plan_members m
           where m.organization_id = ${orgId} and m.plan_id = ${planId} and m.team_member_id <> all (${ids}::uuid[])
             and not exists (select 1 from public.team_members t
                             where t.organization_id = m.organization_id and t.id = m.team_member_id and t.deleted_at is not null)`;
  if (ids.length === 0) return;
  await tx`
    insert into public.commission_plan_members (organization_id, team_member_id, plan_id)
    select ${orgId}, m, ${planId} from unnest(${ids}::uuid[]) as m
    on conflict (organization_id, team_member_id) do update set plan_id = excluded.plan_id
      where public.commission_plan_members.plan_id <> excluded.plan_id`;
}

const PLAN_COLUMNS = { name: 'name', description: 'description', isActive: 'is_active' } as const;

export const commissionPlanRoutes: RouteDef[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/commission-plans',
    summary: 'Commission plans, by name, each with the version in force now',
    tags: ['commissions'],
    access: orgAccess('commissions', 'read'),
    response: z.object({ items: z.array(planSchema) }),
    async handler({ params, asUser }) {
      return asUser(async (tx) => {
        const [plans, versions] = [await planRows(tx, params.orgId!), await versionRows(tx, params.orgId!)];
        return { items: plans.map((p) => toPlan(p, versions)) };
      });
    },
  }),
  defineRoute<z.infer<typeof createBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/commission-plans',
    summary: 'Create a plan with its first version and its team members, in one transaction',
    tags: ['commissions'],
    access: orgAccess('commissions', 'create'),
    body: createBody,
    status: 201,
    response: planSchema,
    errors: { 422: 'Invalid rules (errors name the field, e.g. version.rules.0.tiers.1.rateBps) or unknown team members' },
    async handler({ params, body, asUser }) {
      const orgId = params.orgId!;
      return asUser(async (tx) => {
        const [plan] = await tx<{ id: string }[]>`
          insert into public.commission_plans (organization_id, name, description, is_active)
          values (${orgId}, ${body.name}, ${body.description ?? ''}, ${body.isActive ?? true}) returning id`;
        await insertVersion(tx, orgId, plan!.id, body.version, 'version.');
        if (body.memberIds) await setMembers(tx, orgId, plan!.id, body.memberIds);
        const { versions: _versions, ...created } = await loadPlan(tx, orgId, plan!.id);
        return created;
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/commission-plans/:planId',
    summary: 'A plan with all its versions, newest first',
    tags: ['commissions'],
    access: orgAccess('commissions', 'read'),
    response: planSchema.extend({ versions: z.array(planVersionResponseSchema) }),
    async handler({ params, asUser }) {
      return asUser((tx) => loadPlan(tx, params.orgId!, params.planId!));
    },
  }),
  defineRoute<z.infer<typeof patchBody>>({
    method: 'patch',
    path: '/api/v1/orgs/:orgId/commission-plans/:planId',
    summary: 'Rename, describe, (de)activate a plan, or replace its team members',
    tags: ['commissions'],
    access: orgAccess('commissions', 'update'),
    body: patchBody,
    response: planSchema,
    async handler({ params, body, asUser }) {
      const orgId = params.orgId!;
      const planId = params.planId!;
      return asUser(async (tx) => {
        const changes = Object.fromEntries(
          Object.entries(body).flatMap(([k, v]) => (k in PLAN_COLUMNS ? [[PLAN_COLUMNS[k as keyof typeof PLAN_COLUMNS], v]] : [])),
        );
        const rows = Object.keys(changes).length
          ? await tx`update public.commission_plans set ${tx(changes)} where organization_id = ${orgId} and id = ${planId} returning id`
          : await tx`select id from public.commission_plans where organization_id = ${orgId} and id = ${planId} for update`;
        if (rows.length === 0) throw new HttpError(404, 'No such commission plan');
        if (body.memberIds) await setMembers(tx, orgId, planId, body.memberIds);
        const { versions: _versions, ...plan } = await loadPlan(tx, orgId, planId);
        return plan;
      });
    },
  }),
  defineRoute<VersionInput>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/commission-plans/:planId/versions',
    summary: 'Add a version of the rules, effective from an instant (versions already used never change)',
    tags: ['commissions'],
    // Adding a version inserts a row: the database asks for commissions:create, and so do we.
    access: orgAccess('commissions', 'create'),
    body: versionInputSchema,
    status: 201,
    response: planVersionResponseSchema,
    errors: { 409: 'The plan already has a version starting at that instant', 422: 'Invalid rules (errors name the field)' },
    async handler({ params, body, asUser }) {
      const orgId = params.orgId!;
      const planId = params.planId!;
      return asUser(async (tx) => {
        const [plan] = await tx`select id from public.commission_plans where organization_id = ${orgId} and id = ${planId}`;
        if (!plan) throw new HttpError(404, 'No such commission plan');
        const id = await insertVersion(tx, orgId, planId, body, '');
        return toVersion((await versionRows(tx, orgId, planId)).find((v) => v.id === id)!);
      });
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/orgs/:orgId/commission-plans/:planId',
    summary: 'Delete a plan no calculation used (otherwise deactivate it: isActive false)',
    tags: ['commissions'],
    access: orgAccess('commissions', 'delete'),
    errors: { 409: 'A calculation used one of its versions' },
    async handler({ params, asUser }) {
      const orgId = params.orgId!;
      const planId = params.planId!;
      const used = (versions: number[]) =>
        new HttpError(
          409,
          `This plan cannot be deleted: commissions were calculated with ${versions.length ? `version ${versions.join(', ')}` : 'one of its versions'}. ` +
            'Deactivate it instead (PATCH isActive: false), or add a new version.',
        );
      await asUser(async (tx) => {
        const versions = await versionRows(tx, orgId, planId);
        const usedVersions = versions.filter((v) => v.used).map((v) => v.version).sort((a, b) => a - b);
        if (usedVersions.length) throw used(usedVersions);
        try {
          const rows = await tx`delete from public.commission_plans where organization_id = ${orgId} and id = ${planId} returning id`;
          if (rows.length === 0) throw new HttpError(404, 'No such commission plan');
        } catch (err) {
          // A calculation that used a version since we looked: the ledger trigger refuses (FL409).
          if ((err as { code?: string }).code === 'FL409') throw used([]);
          throw err;
        }
      });
      return undefined;
    },
  }),
  defineRoute<z.infer<typeof previewBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/commission-plans/preview',
    summary: 'What a (possibly unsaved) plan version would pay for sample sale amounts; each sample priced alone against the same period',
    tags: ['commissions'],
    access: orgAccess('commissions', 'read'),
    body: previewBody,
    response: previewResponse,
    async handler({ body }) {
      const plan = { planId: 'preview', version: 1, effectiveFrom: new Date().toISOString(), ...body.version };
      const rows = previewPlan(plan, body.samplesMinor, {
        productId: body.productId,
        pipelineId: body.pipelineId,
        period: { volumeBeforeMinor: body.volumeBeforeMinor, commissionToDateMinor: body.commissionToDateMinor },
      });
      return { rows };
    },
  }),
];
