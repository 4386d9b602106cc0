import { type Duration, WorkflowIdConflictPolicy } from '@temporalio/common';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { contactsSyncWorkflowId, type ContactsSyncInput } from '../../workflows/ghl/contacts-sync';
import { WORKFLOW_KINDS } from '../../workflows/shared';
import type { Services } from '../http/route';

/** What these need of the API's services (the routes pass theirs whole). */
type TemporalServices = Pick<Services, 'temporal' | 'taskQueue'>;

export const contactsSyncScheduleId = (integrationId: string) => `ghl-contacts-sync:${integrationId}`;

export const DEFAULT_CONTACTS_SYNC_EVERY: Duration = '6 hours';

/**
 * Creates the integration's contacts reconciliation schedule, or brings an existing one to the
 * given interval. Answers the schedule id. A run still going when the next is due makes that
 * one skip; the jitter spreads many locations' syncs over the hour instead of one instant.
 */
export async function ensureContactsSyncSchedule(
  services: TemporalServices,
  orgId: string,
  integrationId: string,
  options: { every?: Duration } = {},
): Promise<string> {
  const scheduleId = contactsSyncScheduleId(integrationId);
  const spec = { intervals: [{ every: options.every ?? DEFAULT_CONTACTS_SYNC_EVERY }], jitter: '30 minutes' };
  const args: [ContactsSyncInput] = [{ orgId, integrationId }];
  const action = { type: 'startWorkflow' as const, workflowType: 'ghlContactsSyncWorkflow', args, taskQueue: services.taskQueue };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10 minutes' };
  try {
    await services.temporal.schedule.create({ scheduleId, spec, action, policies, memo: { organizationId: orgId, integrationId } });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await services.temporal.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action, policies }));
  }
  return scheduleId;
}

/**
 * Deletes the integration's schedule when it is this organization's; nothing to do when there is
 * none. A sync already running stops at its next page, its integration no longer connected.
 */
export async function removeContactsSyncSchedule(services: TemporalServices, orgId: string, integrationId: string): Promise<void> {
  const handle = services.temporal.schedule.getHandle(contactsSyncScheduleId(integrationId));
  try {
    const described = await handle.describe();
    if (described.memo?.organizationId !== orgId) return;
    await handle.delete();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
}

/**
 * "Sync now": starts a reconciliation and answers its workflow id. While one started by hand is
 * still running, asking again answers that one rather than starting a second. The workflow itself
 * checks, as the organization's worker, that the integration is the organization's.
 */
export async function startContactsSync(services: TemporalServices, orgId: string, integrationId: string, options: { pageSize?: number; pagesPerRun?: number } = {}): Promise<string> {
  const workflowId = contactsSyncWorkflowId(orgId, integrationId);
  const input: ContactsSyncInput = { orgId, integrationId, ...options };
  await services.temporal.workflow.start('ghlContactsSyncWorkflow', {
    taskQueue: services.taskQueue,
    workflowId,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    args: [input],
    searchAttributes: { OrganizationId: [orgId], Kind: [WORKFLOW_KINDS.ghlSync] },
  });
  return workflowId;
}
