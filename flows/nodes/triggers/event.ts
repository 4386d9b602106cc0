import { z } from 'zod';
import { DEFAULT_HANDLE, type NodeType } from '../../types';

const config = z.strictObject({
  /** Name of the platform event, e.g. "contact.created". */
  event: z.string().regex(/^[a-z][A-Za-z0-9_.-]{0,99}$/, 'must start with a lowercase letter, then letters, digits, "_", "." or "-" (at most 100), e.g. "order.created" or "ghl.ContactCreate"').meta({ title: 'Event', description: 'Name of the platform event, e.g. "order.created", or a GoHighLevel event such as "ghl.ContactCreate".' }),
});

export type EventTriggerConfig = z.infer<typeof config>;

export const eventTrigger: NodeType<EventTriggerConfig> = {
  type: 'trigger.event',
  version: 1,
  label: 'Platform event',
  group: 'triggers',
  description: 'Starts the flow when the platform emits the named event.',
  config,
  handles: () => [DEFAULT_HANDLE],
  inputs: 'none',
  errorHandle: false,
  runtime: { kind: 'trigger' },
};
