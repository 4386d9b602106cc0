import { Context } from '@temporalio/activity';
import type { Sql } from '../../db/client';
import type { FlowRunInput } from '../../workflows/flow/messages';
import { asWorker } from '../db/support';
import { createWorkflowLookupActivities } from '../db/workflow-lookup';

interface RecordRequest {
  orgId: string;
  workflowId: string;
  /** Chosen by the calling workflow (uuid4() there is replay-safe), so a retry records nothing twice. */
  executionId: string;
  triggerType: 'schedule' | 'subflow' | 'event';
  trigger: unknown;
  parentExecutionId?: string;
  depth?: number;
}

/**
 * Runs started by a workflow rather than by the API (a schedule's tick, a subflow): record the
 * execution of the target's published version, then the caller starts its interpreter run.
 * Null when the target is not published (any more).
 */
export function createChildExecutionActivities(deps: { sql: Sql }) {
  const lookup = createWorkflowLookupActivities(deps);
  async function record(req: RecordRequest): Promise<FlowRunInput | null> {
    const version = await lookup.loadPublishedVersion(req);
    if (!version) return null;
    await asWorker(deps.sql, req.orgId, (tx) => tx`
      insert into public.executions (id, organization_id, workflow_id, version_id, version, status, trigger_type, input,
        parent_execution_id, temporal_workflow_id)
      values (${req.executionId}, ${req.orgId}, ${req.workflowId}, ${version.versionId}, ${version.version}, 'queued',
        ${req.triggerType}, ${tx.json((req.trigger ?? null) as never)}, ${req.parentExecutionId ?? null}, ${`flow:${req.executionId}`})
      on conflict (id) do nothing`);
    return {
      orgId: req.orgId,
      workflowId: req.workflowId,
      executionId: req.executionId,
      versionId: version.versionId,
      version: version.version,
      ir: version.ir,
      trigger: req.trigger,
      ...(req.depth !== undefined ? { depth: req.depth } : {}),
    };
  }
  return {
    async startScheduledExecution(input: { orgId: string; workflowId: string; executionId: string }): Promise<FlowRunInput | null> {
      const scheduledAt = new Date(Context.current().info.scheduledTimestampMs).toISOString();
      return record({ ...input, triggerType: 'schedule', trigger: { scheduledAt } });
    },
    async startSubflowExecution(input: Omit<RecordRequest, 'triggerType'>): Promise<FlowRunInput | null> {
      return record({ ...input, triggerType: 'subflow' });
    },
    /** A run started by a platform event a workflow (not a request) received, e.g. a GHL webhook. */
    recordEventExecution: (input: Omit<RecordRequest, 'triggerType' | 'parentExecutionId' | 'depth'>) => record({ ...input, triggerType: 'event' }),
  };
}
