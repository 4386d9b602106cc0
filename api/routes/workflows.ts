import { z } from 'zod';
import { can } from '../../db/rbac/matrix';
import type { Tx } from '../../db/tenant';
import type { FlowIR, Problem } from '../../flows/types';
import { compileDefinition, unpublishable } from '../flows/compile';
import { type DraftRun, startExecution, type VersionRow } from '../flows/executions';
import { syncSchedule } from '../flows/schedules';
import { containsPattern, decodeCursor, page } from '../http/cursor';
import { HttpError } from '../http/errors';
import { defineRoute, orgAccess, type RouteDef } from '../http/route';
import { nameField, pageQuery } from '../schemas/common';

const definitionField = z.object({ nodes: z.array(z.unknown()).max(500), edges: z.array(z.unknown()).max(2000) }).passthrough();

interface WorkflowRow {
  id: string;
  name: string;
  description: string | null;
  status: 'draft' | 'published' | 'disabled';
  definition: unknown;
  draft_problems: Problem[];
  trigger_type: string | null;
  published_version: number | null;
  webhook_token: string;
  webhook_secret: string;
  created_at: Date;
  updated_at: Date;
  test_payload: unknown;
  last_status?: string | null;
  last_at?: Date | null;
  runs_7d?: number;
  succeeded_7d?: number;
  failed_7d?: number;
}

const summary = (r: WorkflowRow) => ({
  id: r.id,
  name: r.name,
  description: r.description,
  status: r.status,
  triggerType: r.trigger_type,
  publishedVersion: r.published_version,
  problems: r.draft_problems.filter((p) => p.severity === 'error').length,
  lastRun: r.last_at ? { status: r.last_status, at: r.last_at.toISOString() } : null,
  stats7d: { total: r.runs_7d ?? 0, succeeded: r.succeeded_7d ?? 0, failed: r.failed_7d ?? 0 },
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

const detail = (r: WorkflowRow, canEdit: boolean) => ({
  ...summary(r),
  definition: r.definition,
  draftProblems: r.draft_problems,
  // The webhook URL is a capability: shown to those who may change the workflow.
  webhook: canEdit ? { path: `/hooks/${r.webhook_token}`, secret: r.webhook_secret } : null,
  testPayload: r.test_payload ?? null,
});

/** A test payload as a jsonb parameter: JSON null (or none) is stored as SQL null. */
const payloadParam = (tx: Tx, value: unknown) => (value === null || value === undefined ? null : tx.json(value as never));

export async function loadWorkflow(tx: Tx, orgId: string, id: string): Promise<WorkflowRow> {
  const [row] = await tx<WorkflowRow[]>`select * from public.workflows where id = ${id} and organization_id = ${orgId}`;
  if (!row) throw new HttpError(404, 'No such workflow');
  return row;
}

/** Other workflows of the organization a subflow may name (RLS: the caller's view). */
export async function orgWorkflowIds(tx: Tx, orgId: string): Promise<Set<string>> {
  const rows = await tx<{ id: string }[]>`select id from public.workflows where organization_id = ${orgId}`;
  return new Set(rows.map((r) => r.id));
}

async function draftProblems(tx: Tx, orgId: string, id: string | undefined, definition: unknown): Promise<Problem[]> {
  return compileDefinition(definition, { knownWorkflowIds: await orgWorkflowIds(tx, orgId), selfWorkflowId: id }).problems;
}

export async function publishedVersion(tx: Tx, orgId: string, workflowId: string): Promise<VersionRow | undefined> {
  // The version that runs is the one the workflow names (normally its newest).
  const [v] = await tx<VersionRow[]>`
    select v.id, v.workflow_id, v.version, v.ir from public.workflow_versions v
    join public.workflows w on w.id = v.workflow_id and w.published_version = v.version
    where v.organization_id = ${orgId} and v.workflow_id = ${workflowId}`;
  return v;
}

/**
 * The saved draft compiled now, as a test run of it starts it (no version; the run keeps the
 * snapshot). A draft with errors answers 422 listing them, exactly as publishing would.
 */
export async function compiledDraft(tx: Tx, orgId: string, wf: WorkflowRow): Promise<DraftRun> {
  const result = compileDefinition(wf.definition, { knownWorkflowIds: await orgWorkflowIds(tx, orgId), selfWorkflowId: wf.id });
  if (!result.ok) throw unpublishable(result.problems);
  return { workflow_id: wf.id, id: null, version: null, ir: result.ir, definition: wf.definition };
}

/** `:version` is a version number (1, 2, 3…); anything else names no version. */
function versionNumber(param: string | undefined): number {
  if (!param || !/^[1-9][0-9]{0,8}$/.test(param)) throw new HttpError(404, 'No such version');
  return Number(param);
}

/** "<name> (copy)", shortened so it stays within the name limit. */
const copyName = (name: string) => `${name.slice(0, NAME_MAX - COPY_SUFFIX.length).trimEnd()}${COPY_SUFFIX}`;
const COPY_SUFFIX = ' (copy)';
const NAME_MAX = 200;

export const TEST_PAYLOAD_MAX_BYTES = 256 * 1024;
const testPayloadField = z
  .json()
  .refine((v) => Buffer.byteLength(JSON.stringify(v) ?? 'null', 'utf8') <= TEST_PAYLOAD_MAX_BYTES, `Use at most ${TEST_PAYLOAD_MAX_BYTES / 1024} KiB of JSON`);

const createBody = z.strictObject({ name: nameField, description: z.string().max(2000).optional(), definition: definitionField.optional() });
const patchBody = z
  .strictObject({
    name: nameField.optional(),
    description: z.string().max(2000).optional(),
    definition: definitionField.optional(),
    testPayload: testPayloadField.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'Send at least one field');
const listQuery = z.strictObject({ ...pageQuery, q: z.string().trim().max(200).optional(), status: z.enum(['draft', 'published', 'disabled']).optional() });
const validateBody = z.strictObject({ definition: definitionField.optional() });
const publishBody = z.strictObject({ note: z.string().max(500).optional() });
const runBody = z.strictObject({ payload: z.json().optional() });
const testRunBody = z.strictObject({ payload: testPayloadField.optional() });

export const workflowRoutes: RouteDef[] = [
  defineRoute<Record<string, never>, z.infer<typeof listQuery>>({
    method: 'get',
    path: '/api/v1/orgs/:orgId/workflows',
    summary: 'Workflows, most recently changed first, with their last run',
    tags: ['workflows'],
    access: orgAccess('workflows', 'read'),
    query: listQuery,
    async handler({ params, query, asUser }) {
      const after = decodeCursor(query.cursor);
      const like = containsPattern(query.q);
      const rows = await asUser(
        (tx) => tx<(WorkflowRow & { cursor_key: string })[]>`
          select w.*, w.updated_at::text as cursor_key, le.status as last_status, le.created_at as last_at,
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
  defineRoute({
    method: 'delete',
    path: '/api/v1/orgs/:orgId/workflows/:workflowId',
    summary: 'Delete a workflow, its versions and its executions',
    tags: ['workflows'],
    access: orgAccess('workflows', 'delete'),
    async handler({ params, asUser, services }) {
      await asUser(async (tx) => {
        const rows = await tx`delete from public.workflows where id = ${params.workflowId!} and organization_id = ${params.orgId!} returning id`;
        if (rows.length === 0) throw new HttpError(404, 'No such workflow');
        await syncSchedule(services, params.orgId!, params.workflowId!, null);
      });
      return undefined;
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
          update public.workflows set status = 'disabled', schedule_id = null where id = ${params.workflowId!} and organization_id = ${params.orgId!} returning *`;
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
  defineRoute<z.infer<typeof runBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/workflows/:workflowId/run',
    summary: 'Run the latest published version now with a test payload',
    tags: ['executions'],
    access: orgAccess('executions', 'create'),
    body: runBody,
    status: 201,
    errors: { 409: 'The workflow has no published version, or is disabled' },
    async handler({ params, body, user, asUser, services }) {
      const version = await asUser(async (tx) => {
        const wf = await loadWorkflow(tx, params.orgId!, params.workflowId!);
        if (wf.status === 'disabled') throw new HttpError(409, 'The workflow is disabled: publish it again to run it');
        return publishedVersion(tx, params.orgId!, wf.id);
      });
      if (!version) throw new HttpError(409, 'Publish the workflow before running it');
      return startExecution(asUser, services, {
        orgId: params.orgId!,
        version,
        trigger: { body: body.payload ?? null, manual: true },
        triggerType: 'manual',
        createdBy: user!.id,
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
  defineRoute<z.infer<typeof testRunBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/workflows/:workflowId/test-run',
    summary: 'Run the saved draft now (compiled, not published) with a test payload, which the workflow remembers',
    tags: ['executions'],
    access: orgAccess('executions', 'create'),
    body: testRunBody,
    status: 201,
    errors: { 422: 'The draft has problems (listed in errors and problems)' },
    async handler({ params, body, user, member, asUser, services }) {
      const draft = await asUser(async (tx) => {
        const wf = await loadWorkflow(tx, params.orgId!, params.workflowId!);
        const run = await compiledDraft(tx, params.orgId!, wf);
        // Remembered for the builder's next test run, by those who may change the workflow.
        if (body.payload !== undefined && can(member!.role, 'workflows', 'update', member!.customPermissions)) {
          await tx`update public.workflows set test_payload = ${payloadParam(tx, body.payload)}
            where id = ${wf.id} and organization_id = ${params.orgId!} and test_payload is distinct from ${payloadParam(tx, body.payload)}`;
        }
        return run;
      });
      return startExecution(asUser, services, {
        orgId: params.orgId!,
        version: draft,
        trigger: { body: body.payload ?? null, manual: true },
        triggerType: 'test',
        createdBy: user!.id,
      });
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
      const [row] = await asUser(
        (tx) => tx<{ id: string; version: number; hash: string; note: string | null; published_by: string | null; created_at: Date; definition: unknown }[]>`
          select id, version, hash, note, published_by, created_at, definition from public.workflow_versions
          where organization_id = ${params.orgId!} and workflow_id = ${params.workflowId!} and version = ${version}`,
      );
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
