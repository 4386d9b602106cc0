import { ParentClosePolicy, proxyActivities, startChild, uuid4 } from '@temporalio/workflow';
import type { GhlEventActivities } from '../../activities/integrations/ghl-events';
import { flowInterpreterWorkflow } from '../flow/interpreter';
import { WORKFLOW_KINDS } from '../shared';

const { applyGhlEvent, startGhlEventExecution } = proxyActivities<GhlEventActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 20, maximumInterval: '1 minute' },
});

export interface GhlEventInput {
  orgId: string;
  webhookId: string;
}

export const ghlEventWorkflowId = (orgId: string, webhookId: string) => `ghl-event:${orgId}:${webhookId}`;

/**
 * One GHL webhook delivery, processed once: its workflow id is keyed by the delivery's
 * webhookId, so a redelivery cannot start a second one. It applies the event to our copy of
 * GHL's data (contacts), then starts every published flow whose trigger.event names it, each as
 * an independent run. The event body stays in the database: only ids cross this history.
 */
export async function ghlEventWorkflow(input: GhlEventInput): Promise<{ event: string | null; executions: string[] }> {
  const applied = await applyGhlEvent(input);
  const executions: string[] = [];
  for (const workflowId of applied.subscribers) {
    // uuid4() is replay-safe: a replay asks for the same execution ids.
    const run = await startGhlEventExecution({ ...input, workflowId, executionId: uuid4() });
    if (!run) continue;
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
    executions.push(run.executionId);
  }
  return { event: applied.event, executions };
}
