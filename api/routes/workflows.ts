import { z } from 'zod';
import { can } from '../../db/rbac/matrix';
import { containsPattern, decodeCursor, page } from '../http/cursor';
import { defineRoute, orgAccess, type RouteDef } from '../http/route';
import { nameField, pageQuery } from '../schemas/common';
import { definitionField, detail, draftProblems, loadWorkflow, payloadParam, summary, testPayloadField, type WorkflowRow } from './workflow-shared';

/** "<name> (copy)", shortened so it stays within the name limit. */
const copyName = (name: string) => `${name.slice(0, NAME_MAX - COPY_SUFFIX.length).trimEnd()}${COPY_SUFFIX}`;
const COPY_SUFFIX = ' (copy)';
const NAME_MAX = 200;

const createBody = z.strictObject({ name: nameField, description: z.string().max(2000).optional(), definition: definitionField.optional() });
const patchBody = z
  .strictObject({
    name: nameField.optional(),
    description: z.string().max(2000).optional(),
    definition: definitionField.optional(),
    testPayload: testPayloadField.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'Send at least one field');
const listQuery = z.strictObject({
  ...pageQuery,
  q: z.string().trim().max(200).optional(),
  status: z.enum(['draft', 'published', 'disabled']).optional(),
  /** true: the trash instead (deleted workflows, with when each stops being restorable). */
  deleted: z.enum(['true', 'false']).default('false'),
});
const validateBody = z.strictObject({ definition: definitionField.optional() });

export const workflowRoutes: RouteDef[] = [
  defineRoute<Record<string, never>, z.infer<typeof listQuery>>({
    method: 'get',
    path: '/api/v1/orgs/:orgId/workflows',
    summary: 'Workflows, most recently changed first, with their last run; deleted=true lists the trash (most recently deleted first)',
    tags: ['workflows'],
    access: orgAccess('workflows', 'read'),
    query: listQuery,
    async handler({ params, query, asUser }) {
      const after = decodeCursor(query.cursor);
      const like = containsPattern(query.q);
      const rows = await asUser(
        (tx) => tx<(WorkflowRow & { cursor_key: string })[]>`
          select w.*, w.updated_at::text as cursor_key, le.status as last_status, le.created_at as last_at,
            case when w.deleted_at is not null then app.restorable_until(w.organization_id, w.deleted_at) end as restorable_until,
            s.total as runs_7d, s.succeeded as succeeded_7d, s.failed as failed_7d
          from public.workflows w
          left join lateral (
            select e.status, e.created_at from public.executions e
            where e.organization_id = w.organization_id and e.workflow_id = w.id
            order by e.created_at desc limit 1) le on true
          left join lateral (
            -- Served by executions (organization_id, workflow_id, created_at desc).
            select count(*)::int as total,
              (count(*) filter (where e.status = 'succeeded'))::int as succeeded,
              (count(*) filter (where e.status = 'failed'))::int as failed
            from public.executions e
            where e.organization_id = w.organization_id and e.workflow_id = w.id and e.created_at >= now() - interval '7 days') s on true
          where w.organization_id = ${params.orgId!}
            -- A deleted workflow changes no more: its updated_at is when it was deleted.
            and ${query.deleted === 'true' ? tx`w.deleted_at is not null` : tx`w.deleted_at is null`}
            ${like ? tx`and w.name ilike ${like}` : tx``}
            ${query.status ? tx`and w.status = ${query.status}` : tx``}
            ${after ? tx`and (w.updated_at, w.id) < (${after.k}::timestamptz, ${after.id}::uuid)` : tx``}
          order by w.updated_at desc, w.id desc
          limit ${query.limit + 1}`,
      );
      const result = page(rows, query.limit, (r) => r.cursor_key);
      return { items: result.items.map(summary), nextCursor: result.nextCursor };
    },
  }),
  defineRoute<z.infer<typeof createBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/workflows',
    summary: 'Create a workflow (a draft); the definition is checked and its problems stored',
    tags: ['workflows'],
    access: orgAccess('workflows', 'create'),
    body: createBody,
    status: 201,
    errors: { 402: 'The plan allows no more workflows (max_workflows)' },
    async handler({ params, body, user, asUser }) {
      return asUser(async (tx) => {
        const definition = body.definition ?? { nodes: [], edges: [] };
        const problems = await draftProblems(tx, params.orgId!, undefined, definition);
        const [row] = await tx<WorkflowRow[]>`
          insert into public.workflows (organization_id, name, description, definition, draft_problems, created_by)
          values (${params.orgId!}, ${body.name}, ${body.description ?? ''}, ${tx.json(definition as never)}, ${tx.json(problems as never)}, ${user!.id})
          returning *`;
        return detail(row!, true);
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/workflows/:workflowId',
    summary: 'A workflow with its draft definition, problems and webhook',
    tags: ['workflows'],
    access: orgAccess('workflows', 'read'),
    async handler({ params, member, asUser }) {
      const row = await asUser((tx) => loadWorkflow(tx, params.orgId!, params.workflowId!));
      return detail(row, can(member!.role, 'workflows', 'update', member!.customPermissions));
    },
  }),
  defineRoute<z.infer<typeof patchBody>>({
    method: 'patch',
    path: '/api/v1/orgs/:orgId/workflows/:workflowId',
    summary: 'Save the draft (name, description, definition, test payload); problems are recomputed',
    tags: ['workflows'],
    access: orgAccess('workflows', 'update'),
    body: patchBody,
    async handler({ params, body, asUser }) {
      return asUser(async (tx) => {
        const current = await loadWorkflow(tx, params.orgId!, params.workflowId!);
        const definition = body.definition ?? current.definition;
        const problems = await draftProblems(tx, params.orgId!, current.id, definition);
        const [row] = await tx<WorkflowRow[]>`
          update public.workflows set
            name = ${body.name ?? current.name},
            description = ${body.description ?? current.description ?? ''},
            definition = ${tx.json(definition as never)},
            draft_problems = ${tx.json(problems as never)}
            ${body.testPayload === undefined ? tx`` : tx`, test_payload = ${payloadParam(tx, body.testPayload)}`}
          where id = ${current.id} and organization_id = ${params.orgId!}
          returning *`;
        return detail(row!, true);
      });
    },
  }),
  defineRoute<z.infer<typeof validateBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/workflows/:workflowId/validate',
    summary: 'Check a definition (the one sent, or the saved draft) and list every problem',
    tags: ['workflows'],
    access: orgAccess('workflows', 'read'),
    body: validateBody,
    async handler({ params, body, asUser }) {
      return asUser(async (tx) => {
        const current = await loadWorkflow(tx, params.orgId!, params.workflowId!);
        const problems = await draftProblems(tx, params.orgId!, current.id, body.definition ?? current.definition);
        return { valid: !problems.some((p) => p.severity === 'error'), problems };
      });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/orgs/:orgId/workflows/:workflowId/duplicate',
    summary: 'Copy a workflow into a new draft "<name> (copy)" with the same definition and a new webhook',
    tags: ['workflows'],
    access: orgAccess('workflows', 'create'),
    status: 201,
    errors: { 402: 'The plan allows no more workflows (max_workflows)' },
    async handler({ params, user, asUser }) {
      return asUser(async (tx) => {
        const source = await loadWorkflow(tx, params.orgId!, params.workflowId!);
        // Recomputed: a subflow naming the source is no longer a self-reference in the copy.
        const problems = await draftProblems(tx, params.orgId!, undefined, source.definition);
        const [row] = await tx<WorkflowRow[]>`
          insert into public.workflows (organization_id, name, description, definition, draft_problems, test_payload, created_by)
          values (${params.orgId!}, ${copyName(source.name)}, ${source.description ?? ''}, ${tx.json(source.definition as never)},
            ${tx.json(problems as never)}, ${payloadParam(tx, source.test_payload)}, ${user!.id})
          returning *`;
        return detail(row!, true);
      });
    },
  }),
];
