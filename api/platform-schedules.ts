import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';

export const PRUNE_SCHEDULE_ID = 'flowline-prune-executions';

/** Platform schedules (not tenants'): created once, left alone when they exist. */
export async function ensurePlatformSchedules(temporal: Client, taskQueue: string): Promise<void> {
  try {
    await temporal.schedule.create({
      scheduleId: PRUNE_SCHEDULE_ID,
      spec: { cronExpressions: ['17 3 * * *'] },
      action: { type: 'startWorkflow', workflowType: 'pruneExecutionsWorkflow', args: [], taskQueue },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
}
