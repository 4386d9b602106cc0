import { type Client, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';

export const RETENTION_SCHEDULE_ID = 'flowline-data-retention';
/** Earlier deployments pruned executions on their own schedule; the retention run now does it. */
export const LEGACY_PRUNE_SCHEDULE_ID = 'flowline-prune-executions';

/** Platform schedules (not tenants'): created once, left alone when they exist. */
export async function ensurePlatformSchedules(temporal: Client, taskQueue: string): Promise<void> {
  try {
    await temporal.schedule.create({
      scheduleId: RETENTION_SCHEDULE_ID,
      spec: { cronExpressions: ['17 3 * * *'] },
      action: { type: 'startWorkflow', workflowType: 'dataRetentionWorkflow', args: [], taskQueue },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await temporal.schedule
    .getHandle(LEGACY_PRUNE_SCHEDULE_ID)
    .delete()
    .catch((err: unknown) => {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    });
}
