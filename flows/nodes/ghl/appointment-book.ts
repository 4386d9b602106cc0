import { z } from 'zod';
import { isTemplate } from '../../expressions';
import { text } from '../../schemas';
import { DEFAULT_HANDLE, type NodeType } from '../../types';
import { GHL_RETRY, GHL_TIMEOUT_MS, ghlIdField, ghlRetry, integrationId } from './common';

/** ISO 8601 date-time with an offset or Z (what GHL takes), or a template computing one. */
const instant = (title: string, description: string) =>
  text()
    .optional()
    .refine((v) => v === undefined || isTemplate(v) || (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) && Number.isFinite(Date.parse(v))), 'must be an ISO 8601 date-time with an offset (e.g. 2030-01-07T10:00:00+01:00) or a {{ … }} expression')
    .meta({ title, description, 'x-ui': 'expression' });

const config = z
  .strictObject({
    calendarId: ghlIdField('Calendar id', 'The GoHighLevel calendar to book in.'),
    contactId: ghlIdField('Contact id', 'Who the appointment is with, e.g. {{ nodes.upsert.output.contact.id }}.'),
    startTime: instant('Start time', 'Book exactly this time (leave empty to take the first free slot between From and To).'),
    from: instant('From', 'Start of the window searched for the first free slot.'),
    to: instant('To', 'End of the window: the appointment must end by then.'),
    durationMinutes: z.int().min(5).max(1440).optional().meta({ title: 'Duration (minutes)', description: "Length of the appointment; empty means the calendar's slot length." }),
    timezone: text().max(100).optional().meta({ title: 'Time zone', description: 'IANA time zone the free slots are read in, e.g. "America/New_York"; default UTC.' }),
    title: text().max(500).optional().meta({ title: 'Title', description: 'May use {{ … }} expressions.', 'x-ui': 'expression' }),
    appointmentStatus: z.enum(['new', 'confirmed']).default('confirmed').meta({ title: 'Status', description: 'Status of the new appointment.' }),
    assignedUserId: text().max(200).optional().meta({ title: 'Assigned user id', description: 'The GoHighLevel user the appointment is for; default the calendar\'s.', 'x-ui': 'expression' }),
    integrationId: integrationId(),
    retry: ghlRetry(),
  })
  .superRefine((value, ctx) => {
    const window = value.from !== undefined || value.to !== undefined;
    if (value.startTime !== undefined && window) ctx.addIssue({ code: 'custom', path: ['startTime'], message: 'give either a start time or a window (from/to), not both' });
    if (value.startTime === undefined && (value.from === undefined || value.to === undefined)) {
      ctx.addIssue({ code: 'custom', path: [value.from === undefined ? 'from' : 'to'], message: 'give a start time, or both ends of the window to take the first free slot in' });
    }
    if (value.from && value.to && !isTemplate(value.from) && !isTemplate(value.to) && Date.parse(value.to) <= Date.parse(value.from)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    }
  });

export type GhlAppointmentBookConfig = z.infer<typeof config>;

export const ghlAppointmentBook: NodeType<GhlAppointmentBookConfig> = {
  type: 'ghl.appointment.book',
  version: 1,
  label: 'GHL: book appointment',
  group: 'ghl',
  description: 'Books a GoHighLevel appointment at a given time or in the first free slot of a window; its output is the appointment. A retried step never books twice.',
  config,
  handles: () => [DEFAULT_HANDLE],
  inputs: 'any',
  errorHandle: true,
  runtime: { kind: 'activity', activity: 'ghlAction' },
  retry: GHL_RETRY,
  timeoutMs: GHL_TIMEOUT_MS,
};
