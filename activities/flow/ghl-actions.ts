/*
 * The activity behind every GoHighLevel node (`ghl.*`): it dispatches on the node type and acts
 * through the organization's connected location (`withGhl`, which refreshes OAuth tokens and
 * marks the integration broken when GHL refuses the credentials).
 *
 * Retries must not repeat a write. Upserts, tag changes and status changes are idempotent in GHL
 * itself. Booking an appointment and sending a message are not, so they are check-then-write
 * against our own record (`ghl_actions`, keyed by execution + node + loop iteration, i.e. the
 * Temporal workflow id and the node): an attempt first looks for what an earlier attempt of the
 * same step recorded and answers that instead of booking or sending again. What remains is the
 * window between GHL accepting the write and the record being committed (a worker dying in
 * between, or the database refusing the insert): a retry after that books or sends a second
 * time. GHL offers no idempotency key on these endpoints that could close it.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Sql } from '../../db/client';
import type { GhlClient } from '../ghl';
import { GhlError, toActivityFailure } from '../ghl';
import type { AppointmentInput, MessageType, SendMessageInput } from '../ghl';
import { asWorker } from '../db/support';
import { type GhlAccessSettings, GhlNotConnected, withGhl } from '../integrations/ghl-access';
import type { StepContext } from '../../workflows/flow/steps';
import { permanent } from './failures';

export interface GhlActionDeps {
  sql: Sql;
  ghl: GhlAccessSettings;
}

/** A GHL node's config after its templates were evaluated (values may have any JSON type). */
export type GhlActionConfig = Record<string, unknown>;

const DAY_MS = 86_400_000;
/** GHL's free-slots endpoint answers at most 31 days at a time. */
const FREE_SLOTS_SPAN_MS = 31 * DAY_MS;
/** How far a first-free-slot search may reach (bounds the number of calls). */
const MAX_WINDOW_MS = 366 * DAY_MS;

export async function ghlAction(deps: GhlActionDeps, ctx: StepContext, config: GhlActionConfig): Promise<unknown> {
  const attempt = Context.current().info.attempt;
  try {
    const read = reader(config, attempt);
    const integrationId = read.optional('integrationId');
    const act = <T>(fn: (client: GhlClient) => Promise<T>) => withGhl(deps.sql, deps.ghl, ctx.orgId, integrationId, (access) => fn(access.client));
    switch (ctx.nodeType) {
      case 'ghl.contact.upsert':
        return await act((client) => upsertContact(client, read));
      case 'ghl.contact.addTags': {
        const contactId = read.required('contactId');
        const tags = read.tags('tags');
        return { tags: await act((client) => client.contacts.addTags(contactId, tags)) };
      }
      case 'ghl.contact.removeTags': {
        const contactId = read.required('contactId');
        const tags = read.tags('tags');
        return { tags: await act((client) => client.contacts.removeTags(contactId, tags)) };
      }
      case 'ghl.opportunity.updateStatus': {
        const opportunityId = read.required('opportunityId');
        const status = read.oneOf('status', ['open', 'won', 'lost', 'abandoned'] as const);
        await act((client) => client.opportunities.updateStatus(opportunityId, status));
        return { opportunityId, status };
      }
      case 'ghl.appointment.book': {
        const input = appointmentInput(read, attempt);
        return await once(deps, ctx, 'appointment', integrationId, () => act((client) => book(client, input, attempt)));
      }
      case 'ghl.message.send': {
        const input = messageInput(read);
        return await once(deps, ctx, 'message', integrationId, () =>
          act(async (client) => {
            const sent = await client.conversations.sendMessage(input);
            return { conversationId: sent.conversationId, messageId: sent.messageId, ...(sent.emailMessageId ? { emailMessageId: sent.emailMessageId } : {}) };
          }),
        );
      }
      default:
        throw permanent(`ghlAction does not run node type ${ctx.nodeType}`, attempt);
    }
  } catch (err) {
    throw failureOf(err, attempt);
  }
}

/** Check-then-write: the result an earlier attempt of this step recorded, else `write` and record it. */
async function once<T>(deps: GhlActionDeps, ctx: StepContext, kind: 'appointment' | 'message', integrationId: string | undefined, write: () => Promise<T>): Promise<T> {
  const key = { org: ctx.orgId, execution: ctx.executionId, node: ctx.nodeId, iteration: ctx.iteration };
  const [prior] = await asWorker(deps.sql, ctx.orgId, (tx) => tx<{ result: T }[]>`
    select result from public.ghl_actions
    where organization_id = ${key.org} and execution_id = ${key.execution} and node_id = ${key.node} and iteration = ${key.iteration}`);
  if (prior) return prior.result;
  const result = await write();
  // `do nothing` on a conflict: an overlapping attempt (a timed-out one still running) recorded first.
  await asWorker(deps.sql, ctx.orgId, (tx) => tx`
    insert into public.ghl_actions (organization_id, execution_id, node_id, iteration, kind, integration_id, result)
    values (${key.org}, ${key.execution}, ${key.node}, ${key.iteration}, ${kind}, ${integrationId ?? null}, ${tx.json(result as never)})
    on conflict do nothing`);
  return result;
}

async function upsertContact(client: GhlClient, read: Reader) {
  const fields: Record<string, unknown> = {};
  for (const key of ['email', 'phone', 'firstName', 'lastName', 'name', 'companyName', 'source']) {
    const value = read.optional(key);
    if (value !== undefined) fields[key] = value;
  }
  if (!fields.email && !fields.phone) throw permanent('An email or a phone is needed to match the contact (both are empty)', read.attempt);
  const custom = read.map('customFields');
  if (Object.keys(custom).length) fields.customFields = Object.entries(custom).map(([id, value]) => ({ id, field_value: value }));
  const upserted = await client.contacts.upsert(fields);
  // GHL replaces the tag list on upsert; adding them keeps the contact's other tags.
  const tags = read.tags('tags', true);
  if (tags.length === 0) return { new: upserted.new, contact: upserted.contact };
  const merged = await client.contacts.addTags(upserted.contact.id, tags);
  return { new: upserted.new, contact: { ...upserted.contact, tags: merged } };
}

interface BookingInput {
  appointment: Omit<AppointmentInput, 'startTime'> & { startTime?: string };
  window?: { from: number; to: number; durationMs?: number; timezone?: string };
}

function appointmentInput(read: Reader, attempt: number): BookingInput {
  const durationMinutes = read.number('durationMinutes');
  const startTime = read.optional('startTime');
  const base = {
    calendarId: read.required('calendarId'),
    contactId: read.required('contactId'),
    title: read.optional('title'),
    appointmentStatus: read.oneOf('appointmentStatus', ['new', 'confirmed'] as const, 'confirmed'),
    assignedUserId: read.optional('assignedUserId'),
  };
  const durationMs = durationMinutes === undefined ? undefined : durationMinutes * 60_000;
  if (startTime !== undefined) {
    const start = instant(startTime, 'startTime', attempt);
    return { appointment: { ...base, startTime, endTime: durationMs ? isoWithOffsetOf(startTime, start + durationMs) : undefined } };
  }
  const from = instant(read.required('from'), 'from', attempt);
  const to = instant(read.required('to'), 'to', attempt);
  if (to <= from) throw permanent('The window ends before it starts (to <= from)', attempt);
  if (to - from > MAX_WINDOW_MS) throw permanent('The window is longer than 366 days', attempt);
  return { appointment: base, window: { from, to, durationMs, timezone: read.optional('timezone') } };
}

async function book(client: GhlClient, input: BookingInput, attempt: number) {
  let appointment = input.appointment;
  const w = input.window;
  if (w) {
    const slot = await firstFreeSlot(client, appointment.calendarId, w);
    if (!slot) throw permanent(`No free slot in calendar ${appointment.calendarId} between ${new Date(w.from).toISOString()} and ${new Date(w.to).toISOString()}`, attempt);
    appointment = { ...appointment, startTime: slot, endTime: w.durationMs ? isoWithOffsetOf(slot, Date.parse(slot) + w.durationMs) : undefined };
  }
  return client.calendars.createAppointment(appointment as AppointmentInput);
}

/** The earliest free slot starting in the window (and, with a duration, ending by its end), as GHL wrote it. */
async function firstFreeSlot(client: GhlClient, calendarId: string, w: NonNullable<BookingInput['window']>): Promise<string | null> {
  for (let start = w.from; start < w.to; start += FREE_SLOTS_SPAN_MS) {
    const end = Math.min(w.to, start + FREE_SLOTS_SPAN_MS);
    const byDate = await client.calendars.freeSlots(calendarId, { startDate: start, endDate: end, timezone: w.timezone });
    const fits = Object.values(byDate)
      .flat()
      .map((slot) => ({ slot, at: Date.parse(slot) }))
      .filter(({ at }) => Number.isFinite(at) && at >= w.from && at < w.to && (w.durationMs === undefined || at + w.durationMs <= w.to))
      .sort((a, b) => a.at - b.at);
    if (fits[0]) return fits[0].slot;
  }
  return null;
}

function messageInput(read: Reader): SendMessageInput {
  const input: SendMessageInput = {
    type: read.oneOf('type', ['SMS', 'Email', 'WhatsApp', 'Live_Chat', 'IG', 'FB', 'Custom', 'InternalComment'] as const) as MessageType,
    contactId: read.required('contactId'),
  };
  for (const key of ['message', 'subject', 'html', 'emailFrom', 'fromNumber'] as const) {
    const value = read.optional(key);
    if (value !== undefined) input[key] = value;
  }
  if (input.type === 'Email' ? !input.message && !input.html : !input.message) throw permanent(`The ${input.type} message is empty`, read.attempt);
  return input;
}

/** ISO time `ms` written in the same offset as `like` (GHL answers in the offset it was given). */
function isoWithOffsetOf(like: string, ms: number): string {
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(like);
  if (!offset) return new Date(ms).toISOString();
  const minutes = (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]));
  return `${new Date(ms + minutes * 60_000).toISOString().slice(0, 19)}${offset[0]}`;
}

function instant(value: string, field: string, attempt: number): number {
  const ms = Date.parse(value);
  if (!/T\d{2}:\d{2}/.test(value) || !Number.isFinite(ms)) throw permanent(`${field} is not an ISO 8601 date-time: ${value}`, attempt);
  return ms;
}

type Reader = ReturnType<typeof reader>;

/** Reads evaluated config values, failing the step (not retrying) when a template produced the wrong type. */
function reader(config: GhlActionConfig, attempt: number) {
  const scalar = (key: string): string | undefined => {
    const v = config[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw permanent(`${key} must be text, got ${Array.isArray(v) ? 'a list' : typeof v}`, attempt);
  };
  return {
    attempt,
    optional: scalar,
    required(key: string): string {
      const v = scalar(key);
      if (v === undefined) throw permanent(`${key} is empty`, attempt);
      return v;
    },
    number(key: string): number | undefined {
      const v = config[key];
      if (v === undefined || v === null) return undefined;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw permanent(`${key} must be a number`, attempt);
      return v;
    },
    oneOf<T extends string>(key: string, allowed: readonly T[], fallback?: T): T {
      const v = scalar(key) ?? fallback;
      if (v === undefined || !(allowed as readonly string[]).includes(v)) throw permanent(`${key} must be one of ${allowed.join(', ')}`, attempt);
      return v as T;
    },
    /** A template may yield a list of tags: lists are flattened; blanks dropped; duplicates once. */
    tags(key: string, allowEmpty = false): string[] {
      const raw = config[key];
      const items = (Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw]).flat(2);
      const tags = [...new Set(items.filter((t) => t !== null && t !== undefined).map((t) => (typeof t === 'string' ? t : JSON.stringify(t)).trim()).filter(Boolean))];
      if (tags.length > 100) throw permanent(`${key}: at most 100 tags`, attempt);
      if (!allowEmpty && tags.length === 0) throw permanent(`${key} is empty`, attempt);
      return tags;
    },
    map(key: string): Record<string, unknown> {
      const v = config[key];
      if (v === undefined || v === null) return {};
      if (typeof v !== 'object' || Array.isArray(v)) throw permanent(`${key} must be an object`, attempt);
      return v as Record<string, unknown>;
    },
  };
}

const CLEAR: Partial<Record<GhlError['kind'], (e: GhlError) => string>> = {
  auth: (e) => `GoHighLevel refused the credentials (${e.message}): reconnect the location`,
  not_found: (e) => `GoHighLevel: not found (${e.message})`,
  validation: (e) => `GoHighLevel rejected the request: ${e.message}`,
  rate_limited: (e) => `GoHighLevel rate limit: ${e.message}`,
};

/**
 * Temporal failures with the step's attempt in their details (the interpreter records it) and a
 * message a flow author can act on. No `cause`: the interpreter reports the innermost message.
 */
function failureOf(err: unknown, attempt: number): unknown {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof GhlNotConnected) return permanent(`Connect GoHighLevel first: ${err.message}`, attempt, { kind: 'not_connected' });
  if (!(err instanceof GhlError)) return err;
  const f = toActivityFailure(err);
  return ApplicationFailure.create({
    type: f.type ?? undefined,
    message: CLEAR[err.kind]?.(err) ?? `GoHighLevel: ${err.message}`,
    nonRetryable: f.nonRetryable ?? undefined,
    nextRetryDelay: f.nextRetryDelay,
    details: [{ attempt, kind: err.kind, status: err.status }],
  });
}
