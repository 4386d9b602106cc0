import { ParentClosePolicy, proxyActivities, startChild, upsertSearchAttributes, uuid4 } from '@temporalio/workflow';
import type { FlowActivities } from '../../activities/flow';
import { WORKFLOW_KINDS } from '../shared';
import { flowInterpreterWorkflow } from './interpreter';

const { startScheduledExecution } = proxyActivities<FlowActivities>({ startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 10 } });

/**
 * The action of a workflow's Temporal Schedule: record an execution, then start the interpreter
 * as an independent run (`flow:<executionId>`), so the schedule's tick finishes at once and the
 * run shows up like any other execution.
 */
export async function scheduledFlowWorkflow(input: { orgId: string; workflowId: string }): Promise<{ executionId: string | null }> {
  upsertSearchAttributes({ OrganizationId: [input.orgId], FlowId: [input.workflowId], Kind: [WORKFLOW_KINDS.flow] });
  // uuid4() is deterministic in a workflow (seeded by Temporal): replays ask for the same id.
  const run = await startScheduledExecution({ ...input, executionId: uuid4() });
  if (!run) return { executionId: null };
  await startChild(flowInterpreterWorkflow, {
    workflowId: `flow:${run.executionId}`,
    args: [run],
    parentClosePolicy: ParentClosePolicy.ABANDON,
    searchAttributes: {
      OrganizationId: [run.orgId],
      FlowId: [run.workflowId],
      FlowVersion: [String(run.version)],
      Kind: [WORKFLOW_KINDS.flow],
    },
  });
  return { executionId: run.executionId };
}
