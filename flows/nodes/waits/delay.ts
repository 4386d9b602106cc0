import { z } from 'zod';
import { isTemplate } from '../../expressions';
import { duration, text } from '../../schemas';
import { DEFAULT_HANDLE, type NodeType } from '../../types';

const ISO_DATETIME = z.iso.datetime({ offset: true });

const config = z
  .strictObject({
    /** How long to wait: "30s", "2h", "7d", "PT1H30M", ms, or a template. */
    duration: duration().optional().meta({ title: 'Duration', description: 'How long to wait: "30s", "2h", "7d", "PT1H30M", milliseconds, or a {{ … }} expression. Set this or “Until”.', 'x-ui': 'duration' }),
    /** When to continue: an ISO 8601 date-time with offset, or a template computing one. */
    until: text()
      .refine((v) => isTemplate(v) || ISO_DATETIME.safeParse(v).success, 'must be an ISO 8601 date-time with offset (e.g. "2030-01-31T09:00:00Z") or a {{ … }} expression')
      .optional()
      .meta({ title: 'Until', description: 'When to continue: an ISO 8601 date-time with offset, or a {{ … }} expression. Set this or “Duration”.', 'x-ui': 'expression' }),
  })
  .superRefine((value, ctx) => {
    if ((value.duration === undefined) === (value.until === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'set exactly one of "duration" and "until"' });
    }
  });

export type DelayConfig = z.infer<typeof config>;

export const delayNode: NodeType<DelayConfig> = {
  type: 'wait.delay',
  version: 1,
  label: 'Wait',
  group: 'waits',
  description: 'Pauses the run for a duration or until a date (a durable timer: months are fine).',
  config,
  handles: () => [DEFAULT_HANDLE],
  inputs: 'any',
  errorHandle: false,
  runtime: { kind: 'delay' },
};
