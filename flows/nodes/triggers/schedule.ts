import { z } from 'zod';
import { cronProblem } from '../../cron';
import { DEFAULT_HANDLE, type NodeType } from '../../types';

const config = z.strictObject({
  cron: z.string().superRefine((cron, ctx) => {
    const problem = cronProblem(cron);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }).meta({ title: 'Cron', description: 'Five fields: minute hour day-of-month month day-of-week, e.g. "0 9 * * 1-5".' }),
  timezone: z.string().max(100).default('UTC').refine(isTimeZone, 'must be an IANA time zone such as "Europe/Paris" or "UTC"').meta({ title: 'Time zone', description: 'IANA time zone, e.g. "Europe/Paris".' }),
});

export type ScheduleTriggerConfig = z.infer<typeof config>;

export const scheduleTrigger: NodeType<ScheduleTriggerConfig> = {
  type: 'trigger.schedule',
  version: 1,
  label: 'Schedule',
  group: 'triggers',
  description: 'Starts the flow on a cron schedule, in a time zone.',
  config,
  handles: () => [DEFAULT_HANDLE],
  inputs: 'none',
  errorHandle: false,
  runtime: { kind: 'trigger' },
};

/**
 * Whether the runtime knows the zone. Only called while validating a config (in the API), never
 * while a flow runs. supportedValuesOf lists canonical names only ("UTC" and aliases such as
 * "Asia/Calcutta" are missing from it), so a name it lacks is tried on DateTimeFormat too.
 */
function isTimeZone(name: string): boolean {
  if (Intl.supportedValuesOf('timeZone').includes(name)) return true;
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
