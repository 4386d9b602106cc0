import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import type { FlowIR } from '../../flows/types';
import type { Services } from '../http/route';

export const scheduleIdOf = (workflowId: string) => `flow-schedule:${workflowId}`;

/**
 * Makes the workflow's Temporal Schedule match its published version: created or updated for a
 * `trigger.schedule` version, deleted otherwise (unpublished, deleted, or another trigger).
 * Answers the schedule id, or null when there is none.
 */
export async function syncSchedule(services: Services, orgId: string, workflowId: string, ir: FlowIR | null): Promise<string | null> {
  const scheduleId = scheduleIdOf(workflowId);
  const handle = services.temporal.schedule.getHandle(scheduleId);
  const trigger = ir?.nodes[ir.triggerId];
  if (!ir || ir.triggerType !== 'trigger.schedule' || !trigger) {
    await handle.delete().catch((err: unknown) => {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    });
    return null;
  }
  const { cron, timezone } = trigger.config as { cron: string; timezone?: string };
  const spec = { cronExpressions: [cron], ...(timezone ? { timezone } : {}) };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'scheduledFlowWorkflow',
    args: [{ orgId, workflowId }],
    taskQueue: services.taskQueue,
  };
  try {
    await services.temporal.schedule.create({
      scheduleId,
      spec,
      action,
      // Each tick records its own execution; a slow run never swallows the next tick.
      policies: { overlap: ScheduleOverlapPolicy.ALLOW_ALL, catchupWindow: '1 minute' },
      memo: { organizationId: orgId, workflowId },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await handle.update((previous) => ({ ...previous, spec, action }));
  }
  return scheduleId;
}
