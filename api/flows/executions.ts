import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { FlowIR } from '../../flows/types';
import type { Tx } from '../../db/tenant';
import { WORKFLOW_KINDS } from '../../workflows/shared';
import type { FlowRunInput } from '../../workflows/flow/messages';
import type { Services } from '../http/route';
import { EXECUTION_NAMESPACE, uuidV5 } from './uuid';

export interface VersionRow {
  id: string;
  workflow_id: string;
  version: number;
  ir: FlowIR;
}

/** A test run of the saved draft, compiled now: no version; the execution keeps this snapshot. */
export interface DraftRun {
  workflow_id: string;
  id: null;
  version: null;
  ir: FlowIR;
  definition: unknown;
}

/** What an execution's `draft` column holds for a test run. */
export interface DraftSnapshot {
  definition: unknown;
  ir: FlowIR;
}

export interface StartRequest {
  orgId: string;
  version: VersionRow | DraftRun;
  trigger: unknown;
  triggerType: 'manual' | 'webhook' | 'schedule' | 'event' | 'subflow' | 'rerun' | 'test';
  idempotencyKey?: string;
  createdBy?: string;
  rerun?: { of: string; fromNodeId: string; reuse: Record<string, unknown> };
}

export interface Started {
  executionId: string;
  temporalWorkflowId: string;
  /** true when this idempotency key had already started an execution */
  duplicate: boolean;
}

export const flowWorkflowId = (executionId: string) => `flow:${executionId}`;

/**
 * Records the execution row, then starts its interpreter run. With an idempotency key the
 * execution id is derived from it, so a redelivery finds the same row and the same Temporal
 * workflow id: at most one run, and a delivery that crashed between the two steps is completed
 * by the next one.
 */
export async function startExecution(db: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>, services: Services, req: StartRequest): Promise<Started> {
  const executionId = req.idempotencyKey
    ? uuidV5(`${req.orgId}/${req.version.workflow_id}/${req.idempotencyKey}`, EXECUTION_NAMESPACE)
    : randomUUID();
  const temporalWorkflowId = flowWorkflowId(executionId);
  const target = req.version;
  const draft: DraftSnapshot | null = target.id === null ? { definition: target.definition, ir: target.ir } : null;
  const { inserted, trigger } = await db(async (tx) => {
    const rows = await tx<{ id: string }[]>`
      insert into public.executions (id, organization_id, workflow_id, version_id, version, status, trigger_type, input,
        idempotency_key, created_by, rerun_of, rerun_from_node, temporal_workflow_id, draft)
      values (${executionId}, ${req.orgId}, ${req.version.workflow_id}, ${req.version.id}, ${req.version.version}, 'queued',
        ${req.triggerType}, ${tx.json((req.trigger ?? null) as never)}, ${req.idempotencyKey ?? null}, ${req.createdBy ?? null},
        ${req.rerun?.of ?? null}, ${req.rerun?.fromNodeId ?? null}, ${temporalWorkflowId}, ${draft ? tx.json(draft as never) : null})
      on conflict do nothing
      returning id`;
    if (rows.length > 0) return { inserted: true, trigger: req.trigger };
    // A redelivery: run what the first delivery recorded.
    const [existing] = await tx<{ input: unknown }[]>`select input from public.executions where id = ${executionId}`;
    return { inserted: false, trigger: existing?.input };
  });
  const input: FlowRunInput = {
    orgId: req.orgId,
    workflowId: req.version.workflow_id,
    executionId,
    versionId: req.version.id,
    version: req.version.version,
    ir: req.version.ir,
    trigger,
    ...(req.rerun ? { reuse: req.rerun.reuse } : {}),
  };
  try {
    await services.temporal.workflow.start('flowInterpreterWorkflow', {
      taskQueue: services.taskQueue,
      workflowId: temporalWorkflowId,
      args: [input],
      searchAttributes: {
        OrganizationId: [req.orgId],
        FlowId: [req.version.workflow_id],
        FlowVersion: [req.version.version === null ? 'draft' : String(req.version.version)],
        Kind: [WORKFLOW_KINDS.flow],
      },
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return { executionId, temporalWorkflowId, duplicate: true };
  }
  return { executionId, temporalWorkflowId, duplicate: !inserted };
}
