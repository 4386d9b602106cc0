import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import type { PayoutFrequency } from '../../commissions';
import type { Services } from '../http/route';

type TemporalServices = Pick<Services, 'temporal' | 'taskQueue'>;

export const payoutScheduleId = (orgId: string) => `commission-payouts:${orgId}`;

export interface PayoutScheduleSettings {
  payoutFrequency: PayoutFrequency;
  payoutAnchor: string;
  timezone: string;
}

const WEEKDAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;

/**
 * The organization's payout schedule: shortly after midnight in its timezone on the first day
 * of each period (monthly: the 1st; weekly and bi-weekly: the anchor's weekday; a bi-weekly
 * tick on an off week does nothing). Each tick runs `payoutScheduleWorkflow`, which works out
 * the period that just ended and runs `payout:<orgId>:<period>` once.
 */
export async function ensurePayoutSchedule(services: TemporalServices, orgId: string, settings: PayoutScheduleSettings): Promise<string> {
  const scheduleId = payoutScheduleId(orgId);
  const weekday = WEEKDAYS[new Date(`${settings.payoutAnchor}T00:00:00Z`).getUTCDay()]!;
  const calendar = settings.payoutFrequency === 'monthly' ? { dayOfMonth: 1, hour: 0, minute: 5 } : { dayOfWeek: weekday, hour: 0, minute: 5 };
  const spec = { calendars: [calendar], timezone: settings.timezone };
  const action = { type: 'startWorkflow' as const, workflowType: 'payoutScheduleWorkflow', args: [{ orgId }], taskQueue: services.taskQueue };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' };
  try {
    await services.temporal.schedule.create({ scheduleId, spec, action, policies, memo: { organizationId: orgId } });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await services.temporal.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action, policies }));
  }
  return scheduleId;
}

/** When the schedule next runs, or null when the organization has none yet. */
export async function nextPayoutAt(services: TemporalServices, orgId: string): Promise<string | null> {
  try {
    const described = await services.temporal.schedule.getHandle(payoutScheduleId(orgId)).describe();
    return described.info.nextActionTimes[0]?.toISOString() ?? null;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return null;
    throw err;
  }
}
