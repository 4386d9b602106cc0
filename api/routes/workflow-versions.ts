import { z } from 'zod';
import type { FlowIR } from '../../flows/types';
import { compileDefinition, unpublishable } from '../flows/compile';
import { syncSchedule } from '../flows/schedules';
import { HttpError } from '../http/errors';
import { defineRoute, orgAccess, type RouteDef } from '../http/route';
import { detail, draftProblems, loadWorkflow, orgWorkflowIds, type WorkflowRow } from './workflow-shared';

/** `:version` is a version number (1, 2, 3…); anything else names no version. */
function versionNumber(param: string | undefined): number {
  if (!param || !/^[1-9][0-9]{0,8}$/.test(param)) throw new HttpError(404, 'No such version');
  return Number(param);
}

const publishBody = z.strictObject({ note: z.string().max(500).optional() });

/** Publishing, unpublishing, and reading or restoring published versions. */
export const workflowVersionRoutes: RouteDef[] = [
  defineRoute<z.infer<typeof publishBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/workflows/:workflowId/publish',
    summary: 'Compile the draft into a new immutable version; new runs use it, running ones keep theirs',
    tags: ['workflows'],
    access: orgAccess('workflows', 'update'),
    body: publishBody,
    status: 201,
    errors: { 422: 'The draft has problems (listed in errors and problems)' },
    async handler({ params, body, asUser, services }) {
      return asUser(async (tx) => {
        const current = await loadWorkflow(tx, params.orgId!, params.workflowId!);
        const result = compileDefinition(current.definition, { knownWorkflowIds: await orgWorkflowIds(tx, params.orgId!), selfWorkflowId: current.id });
        if (!result.ok) throw unpublishable(result.problems);
        const ir: FlowIR = result.ir;
        // The database numbers versions (1, 2, 3…) under the workflow's row lock.
        const [v] = await tx<{ id: string; version: number; created_at: Date }[]>`
          insert into public.workflow_versions (organization_id, workflow_id, definition, ir, hash, note)
          values (${params.orgId!}, ${current.id}, ${tx.json(current.definition as never)}, ${tx.json(ir as never)}, ${ir.hash}, ${body.note ?? null})
          returning id, version, created_at`;
        // Last, inside the transaction: if Temporal refuses the schedule, nothing is published.
        const scheduleId = await syncSchedule(services, params.orgId!, current.id, ir);
        await tx`
          update public.workflows set status = 'published', published_version = ${v!.version}, trigger_type = ${ir.triggerType},
            draft_problems = ${tx.json(result.problems as never)}, schedule_id = ${scheduleId}
          where id = ${current.id}`;
        return { versionId: v!.id, version: v!.version, hash: ir.hash, triggerType: ir.triggerType, warnings: result.problems, createdAt: v!.created_at.toISOString() };
      });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/orgs/:orgId/workflows/:workflowId/unpublish',
    summary: 'Stop new runs (webhooks answer 404); running executions continue',
    tags: ['workflows'],
    access: orgAccess('workflows', 'update'),
    async handler({ params, asUser, services }) {
      return asUser(async (tx) => {
        const rows = await tx<WorkflowRow[]>`
          update public.workflows set status = 'disabled', schedule_id = null
          where id = ${params.workflowId!} and organization_id = ${params.orgId!} and deleted_at is null returning *`;
        if (!rows[0]) throw new HttpError(404, 'No such workflow');
        await syncSchedule(services, params.orgId!, rows[0].id, null);
        return detail(rows[0], true);
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/workflows/:workflowId/versions',
    summary: 'Published versions, newest first',
    tags: ['workflows'],
    access: orgAccess('workflows', 'read'),
    async handler({ params, asUser }) {
      const rows = await asUser(async (tx) => {
        await loadWorkflow(tx, params.orgId!, params.workflowId!); // 404 for a workflow that is not here
        return tx<{ id: string; version: number; hash: string; note: string | null; published_by: string | null; created_at: Date }[]>`
          select id, version, hash, note, published_by, created_at from public.workflow_versions
          where organization_id = ${params.orgId!} and workflow_id = ${params.workflowId!} order by version desc`;
      });
      return {
        items: rows.map((r) => ({ id: r.id, version: r.version, hash: r.hash, note: r.note, publishedBy: r.published_by, createdAt: r.created_at.toISOString() })),
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/workflows/:workflowId/versions/:version',
    summary: 'One published version with the definition it was published from',
    tags: ['workflows'],
    access: orgAccess('workflows', 'read'),
    async handler({ params, asUser }) {
      const version = versionNumber(params.version);
      const [row] = await asUser(async (tx) => {
        await loadWorkflow(tx, params.orgId!, params.workflowId!); // 404 for a workflow that is not here (or is deleted)
        return tx<{ id: string; version: number; hash: string; note: string | null; published_by: string | null; created_at: Date; definition: unknown }[]>`
          select id, version, hash, note, published_by, created_at, definition from public.workflow_versions
          where organization_id = ${params.orgId!} and workflow_id = ${params.workflowId!} and version = ${version}`;
      });
      if (!row) throw new HttpError(404, 'No such version');
      return {
        id: row.id,
        version: row.version,
        hash: row.hash,
        note: row.note,
        publishedBy: row.published_by,
        createdAt: row.created_at.toISOString(),
        definition: row.definition,
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/orgs/:orgId/workflows/:workflowId/versions/:version/restore',
    summary: "Make a published version's definition the draft again (publish it to run it); problems are recomputed",
    tags: ['workflows'],
    access: orgAccess('workflows', 'update'),
    async handler({ params, asUser }) {
      const version = versionNumber(params.version);
      return asUser(async (tx) => {
        const current = await loadWorkflow(tx, params.orgId!, params.workflowId!);
        const [v] = await tx<{ definition: unknown }[]>`
          select definition from public.workflow_versions
          where organization_id = ${params.orgId!} and workflow_id = ${current.id} and version = ${version}`;
        if (!v) throw new HttpError(404, 'No such version');
        const problems = await draftProblems(tx, params.orgId!, current.id, v.definition);
        const [row] = await tx<WorkflowRow[]>`
          update public.workflows set definition = ${tx.json(v.definition as never)}, draft_problems = ${tx.json(problems as never)}
          where id = ${current.id} and organization_id = ${params.orgId!}
          returning *`;
        return detail(row!, true);
      });
    },
  }),
];
