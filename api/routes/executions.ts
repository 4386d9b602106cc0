import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import type { Role } from '../../db/rbac/matrix';
import { approvalSignal, stateQuery, type FlowRunState } from '../../workflows/flow/messages';
import type { Tx } from '../../db/tenant';
import type { FlowIR } from '../../flows/types';
import { type DraftRun, type DraftSnapshot, flowWorkflowId, startExecution, type VersionRow } from '../flows/executions';
import { decodeCursor, page } from '../http/cursor';
import { HttpError } from '../http/errors';
import { defineRoute, orgAccess, type RouteDef, type Services } from '../http/route';
import { pageQuery } from '../schemas/common';
import { compiledDraft, loadWorkflow, publishedVersion } from './workflow-shared';

const STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'] as const;

interface ExecutionRow {
  id: string;
  workflow_id: string;
  workflow_name: string | null;
  /** Null for a test run of the draft. */
  version_id: string | null;
  version: number | null;
  status: (typeof STATUSES)[number];
  trigger_type: string;
  input: unknown;
  output: unknown;
  error: unknown;
  temporal_workflow_id: string | null;
  rerun_of: string | null;
  rerun_from_node: string | null;
  draft?: DraftSnapshot | null;
  started_at: Date | null;
  finished_at: Date | null;
  created_at: Date;
  cursor_key?: string;
}

const toExecution = (r: ExecutionRow) => ({
  id: r.id,
  workflowId: r.workflow_id,
  // '' only for a caller who may read executions but not workflows.
  workflowName: r.workflow_name ?? '',
  versionId: r.version_id,
  version: r.version,
  test: r.version_id === null,
  status: r.status,
  triggerType: r.trigger_type,
  temporalWorkflowId: r.temporal_workflow_id,
  rerunOf: r.rerun_of,
  rerunFromNode: r.rerun_from_node,
  startedAt: r.started_at?.toISOString() ?? null,
  finishedAt: r.finished_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
});

const listQuery = z.strictObject({
  ...pageQuery,
  workflowId: z.uuid().optional(),
  status: z.enum(STATUSES).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
});
/** Link to a run in the Temporal UI. */
export const temporalUiUrl = (ui: Services['temporalUi'], temporalWorkflowId: string | null) =>
  temporalWorkflowId
    ? `${ui.url.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(ui.namespace)}/workflows/${encodeURIComponent(temporalWorkflowId)}`
    : null;

async function loadExecution(tx: Tx, orgId: string, id: string): Promise<ExecutionRow> {
  const [row] = await tx<ExecutionRow[]>`
    select e.*, w.name as workflow_name from public.executions e
    left join public.workflows w on w.id = e.workflow_id and w.organization_id = e.organization_id
    where e.id = ${id} and e.organization_id = ${orgId}`;
  if (!row) throw new HttpError(404, 'No such execution');
  return row;
}

const RERUN_USING = ['same', 'latest', 'draft'] as const;
const rerunBody = z.strictObject({ fromNodeId: z.string().min(1).max(64), using: z.enum(RERUN_USING).default('same') });
const approvalBody = z.strictObject({ decision: z.enum(['approve', 'reject']), comment: z.string().max(2000).optional() });

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

export const executionRoutes: RouteDef[] = [
  defineRoute<Record<string, never>, z.infer<typeof listQuery>>({
    method: 'get',
    path: '/api/v1/orgs/:orgId/executions',
    summary: 'Executions, newest first; filter by workflow, status and time',
    tags: ['executions'],
    access: orgAccess('executions', 'read'),
    query: listQuery,
    async handler({ params, query, asUser }) {
      const after = decodeCursor(query.cursor);
      const rows = await asUser(
        (tx) => tx<ExecutionRow[]>`
          -- Not e.*: the input, output, error and draft snapshot are for the detail only.
          select e.id, e.workflow_id, w.name as workflow_name, e.version_id, e.version, e.status, e.trigger_type,
            e.temporal_workflow_id, e.rerun_of, e.rerun_from_node, e.started_at, e.finished_at, e.created_at,
            e.created_at::text as cursor_key
          from public.executions e
          left join public.workflows w on w.id = e.workflow_id and w.organization_id = e.organization_id
          where e.organization_id = ${params.orgId!}
            ${query.workflowId ? tx`and e.workflow_id = ${query.workflowId}` : tx``}
            ${query.status ? tx`and e.status = ${query.status}` : tx``}
            ${query.since ? tx`and e.created_at >= ${query.since}::timestamptz` : tx``}
            ${query.until ? tx`and e.created_at < ${query.until}::timestamptz` : tx``}
            ${after ? tx`and (e.created_at, e.id) < (${after.k}::timestamptz, ${after.id}::uuid)` : tx``}
          order by e.created_at desc, e.id desc
          limit ${query.limit + 1}`,
      );
      const result = page(rows, query.limit, (r) => r.cursor_key!);
      return { items: result.items.map(toExecution), nextCursor: result.nextCursor };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/executions/:executionId',
    summary: "An execution with its input, output, error, the graph it ran, every node's step, and live state while it runs",
    tags: ['executions'],
    access: orgAccess('executions', 'read'),
    async handler({ params, asUser, services }) {
      const { row, steps, definition } = await asUser(async (tx) => {
        const row = await loadExecution(tx, params.orgId!, params.executionId!);
        const steps = await tx`
          select node_id, node_type, iteration, attempt, status, input, output, error, output_truncated, started_at, finished_at
          from public.execution_steps where execution_id = ${row.id} order by started_at nulls last, node_id, iteration`;
        let definition: unknown = row.draft?.definition ?? null;
        if (row.version_id) {
          const [v] = await tx<{ definition: unknown }[]>`
            select definition from public.workflow_versions where id = ${row.version_id} and organization_id = ${params.orgId!}`;
          definition = v?.definition ?? null;
        }
        return { row, steps, definition };
      });
      let live: FlowRunState | null = null;
      if (!FINAL.has(row.status) && row.temporal_workflow_id) {
        live = await services.temporal.workflow.getHandle(row.temporal_workflow_id).query(stateQuery).catch(() => null);
      }
      return {
        ...toExecution(row),
        input: row.input,
        output: row.output,
        error: row.error,
        steps: steps.map((s) => ({
          nodeId: s.node_id,
          nodeType: s.node_type,
          iteration: s.iteration,
          attempt: s.attempt,
          status: s.status,
          input: s.input,
          output: s.output,
          error: s.error,
          outputTruncated: s.output_truncated,
          startedAt: s.started_at?.toISOString() ?? null,
          finishedAt: s.finished_at?.toISOString() ?? null,
        })),
        live,
        definition,
        temporalUiUrl: temporalUiUrl(services.temporalUi, row.temporal_workflow_id),
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/orgs/:orgId/executions/:executionId/cancel',
    summary: 'Cancel a running or waiting execution',
    tags: ['executions'],
    access: orgAccess('executions', 'update'),
    status: 202,
    errors: { 409: 'The execution has already finished' },
    async handler({ params, asUser, services }) {
      const row = await asUser(async (tx) => {
        const [r] = await tx<ExecutionRow[]>`select * from public.executions where id = ${params.executionId!} and organization_id = ${params.orgId!}`;
        return r;
      });
      if (!row) throw new HttpError(404, 'No such execution');
      if (FINAL.has(row.status)) throw new HttpError(409, `The execution already ${row.status}`);
      try {
        await services.temporal.workflow.getHandle(row.temporal_workflow_id ?? flowWorkflowId(row.id)).cancel();
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        throw new HttpError(409, 'The execution is not running');
      }
      return { id: row.id, status: 'cancelling' };
    },
  }),
  defineRoute<z.infer<typeof rerunBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/executions/:executionId/rerun',
    summary:
      'Run again from a node: the same graph (default), the latest published version, or the saved draft (a test run); ' +
      'the recorded outputs of the nodes before it are reused',
    tags: ['executions'],
    access: orgAccess('executions', 'create'),
    body: rerunBody,
    status: 201,
    errors: {
      409: 'using=latest and the workflow has no published version (or is disabled); or the run has no graph to run again',
      422: 'The node is not in the graph that would run, or using=draft and the draft has problems',
    },
    async handler({ params, body, user, asUser, services }) {
      const { original, version, outputs } = await asUser(async (tx) => {
        const original = await loadExecution(tx, params.orgId!, params.executionId!);
        const version = await rerunTarget(tx, params.orgId!, original, body.using);
        const outputs = await tx<{ node_id: string; output: unknown; output_truncated: boolean }[]>`
          select node_id, output, output_truncated from public.execution_steps
          where execution_id = ${original.id} and iteration = '' and status = 'succeeded'`;
        return { original, version, outputs };
      });
      if (!version.ir.nodes[body.fromNodeId]) {
        throw new HttpError(422, 'No such node in the graph that would run', [{ path: 'fromNodeId', message: 'Not a node of the graph that would run' }]);
      }
      const before = ancestors(version.ir, body.fromNodeId);
      const reuse = Object.fromEntries(outputs.filter((o) => before.has(o.node_id) && !o.output_truncated).map((o) => [o.node_id, o.output]));
      return startExecution(asUser, services, {
        orgId: params.orgId!,
        version,
        trigger: original.input,
        triggerType: 'rerun',
        createdBy: user!.id,
        rerun: { of: original.id, fromNodeId: body.fromNodeId, reuse },
      });
    },
  }),
  defineRoute<z.infer<typeof approvalBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/executions/:executionId/approvals/:node',
    summary: 'Approve or reject a waiting approval step (the node lists which roles may decide)',
    tags: ['executions'],
    access: orgAccess('executions', 'approve'),
    body: approvalBody,
    status: 202,
    errors: { 409: 'The execution is not waiting for this approval' },
    async handler({ params, body, user, member, asUser, services }) {
      const row = await asUser(async (tx) => {
        const [r] = await tx<ExecutionRow[]>`select * from public.executions where id = ${params.executionId!} and organization_id = ${params.orgId!}`;
        return r;
      });
      if (!row) throw new HttpError(404, 'No such execution');
      const handle = services.temporal.workflow.getHandle(row.temporal_workflow_id ?? flowWorkflowId(row.id));
      const state = await handle.query(stateQuery).catch(() => null);
      const waiting = state?.waitingApprovals.find((w) => w.nodeId === params.node);
      if (!waiting) throw new HttpError(409, 'The execution is not waiting for this approval');
      if (waiting.approverRoles.length > 0 && !waiting.approverRoles.includes(member!.role as Role)) {
        throw new HttpError(403, `Only ${waiting.approverRoles.join(', ')} may decide this approval`);
      }
      await handle.signal(approvalSignal, {
        nodeId: params.node!,
        decision: body.decision,
        comment: body.comment,
        decidedBy: { userId: user!.id, email: user!.email, role: member!.role },
        decidedAt: new Date().toISOString(),
      });
      return { executionId: row.id, nodeId: params.node, decision: body.decision };
    },
  }),
];

/**
 * The graph a rerun runs: `same` = the original's version (or, for a test run, its draft
 * snapshot), `latest` = the version published now, `draft` = the saved draft compiled now.
 */
async function rerunTarget(tx: Tx, orgId: string, original: ExecutionRow, using: (typeof RERUN_USING)[number]): Promise<VersionRow | DraftRun> {
  if (using === 'draft') return compiledDraft(tx, orgId, await loadWorkflow(tx, orgId, original.workflow_id));
  if (using === 'latest') {
    const wf = await loadWorkflow(tx, orgId, original.workflow_id);
    const latest = wf.status === 'published' ? await publishedVersion(tx, orgId, wf.id) : undefined;
    if (!latest) throw new HttpError(409, 'The workflow has no published version to run');
    return latest;
  }
  if (original.version_id) {
    const [version] = await tx<VersionRow[]>`
      select id, workflow_id, version, ir from public.workflow_versions where id = ${original.version_id} and organization_id = ${orgId}`;
    if (version) return version;
  } else if (original.draft) {
    return { workflow_id: original.workflow_id, id: null, version: null, ir: original.draft.ir, definition: original.draft.definition };
  }
  throw new HttpError(409, 'This execution kept no graph to run again');
}

/** Nodes upstream of a node (excluding it): their recorded outputs can be reused. */
function ancestors(ir: FlowIR, nodeId: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(ir.nodes[nodeId]?.incoming ?? [])];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(ir.nodes[id]?.incoming ?? []));
  }
  return seen;
}
