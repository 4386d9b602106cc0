import { z } from 'zod';
import { DEFAULT_HANDLE, type NodeType } from '../../types';

const OPS = ['equals', 'notEquals', 'contains', 'exists', 'notExists'] as const;
type Op = (typeof OPS)[number];

const condition = z
  .strictObject({
    path: z
      .string()
      .regex(/^[A-Za-z0-9_$-]{1,100}(\.[A-Za-z0-9_$-]{1,100}){0,19}$/, 'must be a dotted path into the trigger, e.g. "payload.tags"')
      .meta({ title: 'Path', description: 'Where to look in the trigger: "payload.tags", "payload.contact.email", "event"; array items by index ("payload.tags.0").' }),
    op: z.enum(OPS).default('equals').meta({ title: 'Test', description: 'equals / notEquals: the value there is (not) this JSON value; contains: a list holding it, or text containing it; exists / notExists: there is (no) value there.' }),
    value: z.json().optional().meta({ title: 'Value', description: 'The JSON value to compare with (not for exists / notExists).' }),
  })
  .superRefine((c, ctx) => {
    const needsValue = c.op !== 'exists' && c.op !== 'notExists';
    if (needsValue && c.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `"${c.op}" compares with a value` });
    if (!needsValue && c.value !== undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `"${c.op}" takes no value` });
  })
  .meta({ title: 'Condition' });

const config = z.strictObject({
  /** Name of the platform event, e.g. "contact.created". */
  event: z.string().regex(/^[a-z][A-Za-z0-9_.-]{0,99}$/, 'must start with a lowercase letter, then letters, digits, "_", "." or "-" (at most 100), e.g. "order.created" or "ghl.ContactCreate"').meta({ title: 'Event', description: 'Name of the platform event, e.g. "order.created", or a GoHighLevel event such as "ghl.ContactCreate".' }),
  /**
   * Literal tests (no templates: they are checked before a run exists, where subscribers are
   * chosen, so an event that does not match records no execution at all).
   */
  conditions: z
    .array(condition)
    .max(20)
    .optional()
    .meta({ title: 'Conditions', description: 'Start only when every condition holds for the event, e.g. path "payload.tags", contains "vip". Empty: every event starts the flow.' }),
});

export type EventTriggerConfig = z.infer<typeof config>;
export type EventCondition = z.infer<typeof condition>;

export const eventTrigger: NodeType<EventTriggerConfig> = {
  type: 'trigger.event',
  version: 1,
  label: 'Platform event',
  group: 'triggers',
  description: 'Starts the flow when the platform emits the named event (and, when set, its conditions hold).',
  config,
  handles: () => [DEFAULT_HANDLE],
  inputs: 'none',
  errorHandle: false,
  runtime: { kind: 'trigger' },
};

function at(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const key of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(key)) current = current[Number(key)];
    else if (current !== null && typeof current === 'object' && !Array.isArray(current) && Object.hasOwn(current, key)) current = (current as Record<string, unknown>)[key];
    else return undefined;
  }
  return current;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => sameJson(v, (b as unknown[])[i]));
  const ak = Object.keys(a);
  const bo = b as Record<string, unknown>;
  return ak.length === Object.keys(bo).length && ak.every((k) => Object.hasOwn(bo, k) && sameJson((a as Record<string, unknown>)[k], bo[k]));
}

function holds(op: Op, actual: unknown, expected: unknown): boolean {
  switch (op) {
    case 'exists':
      return actual !== undefined && actual !== null;
    case 'notExists':
      return actual === undefined || actual === null;
    case 'equals':
      return sameJson(actual, expected);
    case 'notEquals':
      return !sameJson(actual, expected);
    case 'contains':
      if (Array.isArray(actual)) return actual.some((item) => sameJson(item, expected));
      return typeof actual === 'string' && typeof expected === 'string' && actual.includes(expected);
  }
}

/**
 * Whether an event starts a flow with this trigger config: every condition holds for the
 * trigger input the run would get (`{event, payload, …}`). Configs of flows compiled before
 * conditions existed have none and match every event.
 */
export function eventMatches(config: { conditions?: readonly { path: string; op?: Op; value?: unknown }[] } | null | undefined, trigger: unknown): boolean {
  return (config?.conditions ?? []).every((c) => holds(c.op ?? 'equals', at(trigger, c.path), c.value));
}
