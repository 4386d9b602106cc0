/*
 * The tools a bot's LLM may call, as OpenAI function specs (strict: every property required, no
 * others), and the activity that runs the GHL ones for the conversation's contact. Handing off
 * and ending the conversation change the workflow's state, so the workflow answers those itself.
 *
 * A tool's result is what the model reads before it answers: a booking result says `booked:
 * true` with the appointment, or `booked: false` with the reason, and nothing in between, so the
 * model cannot confirm a booking that did not happen.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Sql } from '../../db/client';
import { asWorker, notFound } from '../db/support';
import { GhlError, toActivityFailure } from '../ghl';
import { type GhlAccessSettings, GhlNotConnected, withGhl } from '../integrations/ghl-access';

import { BOT_TOOLS, type BotToolName, CONTACT_FIELDS } from '../../bots/vocabulary';

export { BOT_TOOLS, type BotToolName } from '../../bots/vocabulary';


export interface ToolSpec {
  type: 'function';
  function: { name: BotToolName; description: string; strict: true; parameters: Record<string, unknown> };
}

const object = (properties: Record<string, unknown>) => ({ type: 'object', properties, required: Object.keys(properties), additionalProperties: false });
const text = (description: string) => ({ type: 'string', description });

const SPECS: Record<BotToolName, { description: string; parameters: Record<string, unknown> }> = {
  add_tag: { description: 'Add a tag to the contact in the CRM.', parameters: object({ tag: text('The tag to add') }) },
  update_contact_field: {
    description: "Store a detail the contact gave (their email, phone, name or company) on the contact's record.",
    parameters: object({ field: { type: 'string', enum: [...CONTACT_FIELDS] }, value: text('The new value') }),
  },
  find_free_slots: { description: 'List the next free appointment slots (ISO times) of the booking calendar.', parameters: object({}) },
  book_appointment: {
    description: 'Book the contact an appointment at a free slot found by find_free_slots. Confirm it to the contact only when the result says booked: true.',
    parameters: object({ startTime: text('A slot returned by find_free_slots, as it was returned') }),
  },
  handoff_to_human: { description: 'Hand the conversation to a person on the team (the bot then stays silent).', parameters: object({ reason: text('Why') }) },
  end_conversation: { description: 'End the conversation when the contact is done.', parameters: object({ reason: text('Why') }) },
};

/** The specs of the tools a bot may use, in a stable order. */
export function toolSpecs(allowed: readonly string[]): ToolSpec[] {
  return BOT_TOOLS.filter((name) => allowed.includes(name)).map((name) => ({ type: 'function', function: { name, strict: true, ...SPECS[name] } }));
}

export interface RunBotToolInput {
  orgId: string;
  /** Flowline's contact id. */
  contactId: string;
  /** The conversation's calendar; without it, the bot's own (bots.calendar_id). */
  calendarId?: string;
  /** The bot whose calendar to fall back on; without it, the bot of the calling conversation workflow. */
  botId?: string;
  name: BotToolName;
  arguments: Record<string, unknown>;
}

/** How far ahead find_free_slots looks, and how many slots it offers the model. */
const SLOT_WINDOW_MS = 7 * 86_400_000;
const MAX_SLOTS = 5;

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

export function createBotToolActivities(deps: { sql: Sql; ghl: GhlAccessSettings }) {
  /**
   * Runs one GHL tool. Refusals the model can act on (no calendar, GHL rejecting the value, GHL
   * not connected) are results with `ok: false`; transient GHL errors are thrown so Temporal retries.
   */
  async function runBotTool(input: RunBotToolInput): Promise<Record<string, unknown>> {
    const ghlContactId = await ghlContactOf(deps.sql, input.orgId, input.contactId);
    const act = <T>(fn: Parameters<typeof withGhl<T>>[4]) => withGhl(deps.sql, deps.ghl, input.orgId, undefined, fn);
    const args = input.arguments;
    try {
      switch (input.name) {
        case 'add_tag': {
          const tag = str(args.tag);
          if (!tag) return { ok: false, error: 'tag is empty' };
          const tags = await act(({ client }) => client.contacts.addTags(ghlContactId, [tag]));
          return { ok: true, tags };
        }
        case 'update_contact_field': {
          const field = str(args.field);
          if (!(CONTACT_FIELDS as readonly string[]).includes(field)) return { ok: false, error: `field must be one of ${CONTACT_FIELDS.join(', ')}` };
          await act(({ client }) => client.contacts.update(ghlContactId, { [field]: str(args.value) }));
          return { ok: true, field, value: str(args.value) };
        }
        case 'find_free_slots': {
          const calendarId = await calendarOf(deps.sql, input);
          if (!calendarId) return { ok: false, error: 'No booking calendar is configured for this bot' };
          const now = Date.now();
          const byDate = await act(({ client }) => client.calendars.freeSlots(calendarId, { startDate: now, endDate: now + SLOT_WINDOW_MS }));
          return { ok: true, slots: Object.values(byDate).flat().slice(0, MAX_SLOTS) };
        }
        case 'book_appointment': {
          const calendarId = await calendarOf(deps.sql, input);
          if (!calendarId) return { booked: false, error: 'No booking calendar is configured for this bot' };
          const startTime = str(args.startTime);
          if (!Number.isFinite(Date.parse(startTime))) return { booked: false, error: `startTime is not a date-time: ${startTime}` };
          const appointment = await act(({ client }) =>
            client.calendars.createAppointment({ calendarId, contactId: ghlContactId, startTime, appointmentStatus: 'confirmed', title: 'Booked by the assistant' }),
          );
          return { booked: true, appointmentId: appointment.id, startTime };
        }
        default:
          throw ApplicationFailure.create({ message: `runBotTool does not run ${input.name}`, type: 'InvalidInput', nonRetryable: true });
      }
    } catch (err) {
      const refused = refusal(err);
      if (refused === undefined) throw err;
      return input.name === 'book_appointment' ? { booked: false, error: refused } : { ok: false, error: refused };
    }
  }

  return { runBotTool };
}

/** The reason to give the model when GHL refused for good; undefined when the call should be retried. */
function refusal(err: unknown): string | undefined {
  if (err instanceof GhlNotConnected) return `GoHighLevel is not connected: ${err.message}`;
  if (!(err instanceof GhlError)) return undefined;
  const failure = toActivityFailure(err);
  return failure.nonRetryable ? `GoHighLevel refused: ${err.message}` : undefined;
}

/**
 * The calendar a booking tool uses: the conversation's, else its bot's. The bot is the input's,
 * else the one whose conversation workflow runs this activity (its session row records the
 * workflow id), so conversations started by GHL messages, which name no calendar, book too.
 */
async function calendarOf(sql: Sql, input: RunBotToolInput): Promise<string | undefined> {
  if (input.calendarId) return input.calendarId;
  const workflowId = input.botId ? null : (callingWorkflowId() ?? null);
  if (!input.botId && !workflowId) return undefined;
  const [row] = await asWorker(sql, input.orgId, (tx) => tx<{ calendar_id: string | null }[]>`
    select b.calendar_id from public.bots b
    where b.organization_id = ${input.orgId} and b.deleted_at is null and b.id = ${input.botId ?? tx`(
      select s.bot_id from public.conversation_sessions s
      where s.organization_id = ${input.orgId} and s.contact_id = ${input.contactId} and s.temporal_workflow_id = ${workflowId}
      limit 1)`}`);
  return row?.calendar_id ?? undefined;
}

/** The workflow id of the activity's caller; undefined when called outside an activity. */
function callingWorkflowId(): string | undefined {
  try {
    return Context.current().info.workflowExecution?.workflowId;
  } catch {
    return undefined;
  }
}

async function ghlContactOf(sql: Sql, orgId: string, contactId: string): Promise<string> {
  const [row] = await asWorker(sql, orgId, (tx) => tx<{ ghl_contact_id: string }[]>`
    select ghl_contact_id from public.contacts where organization_id = ${orgId} and id = ${contactId} and deleted_at is null`);
  if (!row) throw notFound('contact');
  return row.ghl_contact_id;
}

export type BotToolActivities = ReturnType<typeof createBotToolActivities>;
