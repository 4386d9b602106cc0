import { callsThisTurn, lastUserText, offeredTools, systemText, type TurnCall } from './conversation';
import { instanceOf } from './schema';
import type { Answer, ChatRequest, JsonSchema, ToolCallReply } from './types';
import { visionAnswer } from './vision';

/*
 * The sandbox model: what the fake answers when nothing was queued or scripted. It is a few
 * keyword rules, deterministic and good enough to demo a bot end to end (collect an email,
 * find slots then book the first one, hand off, say goodbye), and it says it is a sandbox.
 */
export const SANDBOX = '[sandbox model]';

const INTENTS = {
  // "a person", not "in-person": asking for someone, not describing an appointment.
  handoff: /\b(human|agent|representative|operator)\b|\b(a|real|actual) person\b|\bspeak to someone\b/i,
  bye: /\b(bye|goodbye)\b|that'?s all|that is all/i,
  email: /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/,
  book: /\b(book|booking|appointment|schedule|reserve)\b/i,
  interested: /\b(interested|sign me up|count me in)\b/i,
};
/** The tag the sandbox model gives a contact who says they are interested. */
export const INTERESTED_TAG = 'interested';
const REPLY_FIELDS = /^(reply|answer|message|text|response|content)$/i;
const START_KEYS = /^(start|start_?time|slot|time|date_?time|when|starts_?at)$/i;

const parse = (text: string | undefined): unknown => {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first free slot in a find_free_slots result: GHL's `{date: {slots: [...]}}`, arrays, `{slots}`. */
export function firstSlot(value: unknown, depth = 0): string | Record<string, unknown> | undefined {
  if (depth > 6) return undefined;
  if (typeof value === 'string') return /\d{4}-\d{2}-\d{2}|\b\d{1,2}:\d{2}\b/.test(value) ? value : undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const slot = firstSlot(item, depth + 1);
      if (slot) return slot;
    }
    return undefined;
  }
  if (!isObject(value)) return undefined;
  if (Object.keys(value).some((k) => START_KEYS.test(k) && typeof value[k] === 'string')) return value;
  const preferred = ['slots', 'freeSlots', 'free_slots', 'available', 'data'].filter((k) => k in value);
  for (const key of [...preferred, ...Object.keys(value).filter((k) => !preferred.includes(k))]) {
    const slot = firstSlot(value[key], depth + 1);
    if (slot) return slot;
  }
  return undefined;
}

function slotLabel(slot: unknown): string | undefined {
  if (typeof slot === 'string') return slot;
  if (!isObject(slot)) return undefined;
  const key = Object.keys(slot).find((k) => START_KEYS.test(k) && typeof slot[k] === 'string');
  return key ? (slot[key] as string) : undefined;
}

function toolSchema(request: ChatRequest, name: string): JsonSchema {
  return request.tools?.find((t) => t.function.name === name)?.function.parameters ?? { type: 'object', properties: {} };
}

/** Arguments valid for the tool's schema, with the values the intent supplies where it has room. */
function argsFor(request: ChatRequest, name: string, values: Record<string, unknown> = {}): Record<string, unknown> {
  const schema = toolSchema(request, name);
  const base = instanceOf(schema);
  const args = isObject(base) ? base : {};
  const properties = isObject(schema.properties) ? Object.keys(schema.properties) : null;
  for (const [key, value] of Object.entries(values)) if (!properties?.length || properties.includes(key)) args[key] = value;
  return args;
}

function bookingArgs(request: ChatRequest, slot: string | Record<string, unknown>): Record<string, unknown> {
  const schema = toolSchema(request, 'book_appointment');
  const properties = isObject(schema.properties) ? Object.keys(schema.properties) : [];
  const start = slotLabel(slot);
  const values: Record<string, unknown> = isObject(slot) ? { ...slot } : {};
  const startKey = properties.find((k) => START_KEYS.test(k)) ?? (properties.length ? undefined : 'startTime');
  if (startKey && start) values[startKey] = start;
  return argsFor(request, 'book_appointment', values);
}

/** The next tool call the last user message asks for, or null when this turn's work is done. */
function nextIntentCall(request: ChatRequest, turn: TurnCall[]): ToolCallReply | null {
  const text = lastUserText(request);
  const tools = offeredTools(request);
  const called = new Map(turn.map((c) => [c.name, c]));
  const can = (name: string) => tools.includes(name) && !called.has(name);
  // Asking for a person ends the bot's turn: nothing else is done on their behalf.
  if (INTENTS.handoff.test(text) && tools.includes('handoff_to_human')) {
    return can('handoff_to_human') ? { name: 'handoff_to_human', arguments: argsFor(request, 'handoff_to_human', { reason: 'The contact asked for a person' }) } : null;
  }
  const email = INTENTS.email.exec(text)?.[0];
  if (email && can('update_contact_field')) return { name: 'update_contact_field', arguments: argsFor(request, 'update_contact_field', { field: 'email', value: email }) };
  if (INTENTS.interested.test(text) && can('add_tag')) return { name: 'add_tag', arguments: argsFor(request, 'add_tag', { tag: INTERESTED_TAG }) };
  if (INTENTS.book.test(text)) {
    if (can('find_free_slots')) return { name: 'find_free_slots', arguments: argsFor(request, 'find_free_slots') };
    const slot = firstSlot(parse(called.get('find_free_slots')?.result));
    if (slot && can('book_appointment')) return { name: 'book_appointment', arguments: bookingArgs(request, slot) };
  }
  if (INTENTS.bye.test(text) && can('end_conversation')) return { name: 'end_conversation', arguments: argsFor(request, 'end_conversation', { reason: 'The contact said goodbye' }) };
  return null;
}

/** Positive evidence that a tool succeeded: a booking is only confirmed on it. */
export function succeeded(result: string | undefined): boolean {
  const value = parse(result);
  if (typeof value === 'string') return /\b(success|succeeded|booked|confirmed|ok)\b/i.test(value) && !/\b(fail|failed|error|unavailable|not)\b/i.test(value);
  if (!isObject(value) || value.error || value.ok === false || value.success === false) return false;
  if (value.ok === true || value.success === true || value.booked === true || isObject(value.booked) || isObject(value.appointment)) return true;
  const status = [value.status, value.appointmentStatus].find((s): s is string => typeof s === 'string');
  if (status && /^(booked|confirmed|success|succeeded|ok|scheduled|created)$/i.test(status)) return true;
  if (status && /fail|error|cancel|invalid|unavailable|reject|conflict|no.?show/i.test(status)) return false;
  return typeof value.id === 'string' || typeof value.appointmentId === 'string';
}

function failureReason(result: string | undefined): string {
  const value = parse(result);
  if (isObject(value)) {
    const error = isObject(value.error) ? value.error.message : value.error;
    return String(error ?? value.message ?? value.status ?? 'no confirmation');
  }
  return String(value ?? 'no result');
}

const failed = (result: string | undefined) => {
  const value = parse(result);
  return isObject(value) ? Boolean(value.error) || value.ok === false || value.success === false : /\b(error|failed)\b/i.test(String(value));
};

function describe(call: TurnCall, turn: TurnCall[]): string | null {
  const args = isObject(call.arguments) ? call.arguments : {};
  switch (call.name) {
    case 'find_free_slots': {
      if (turn.some((c) => c.name === 'book_appointment')) return null;
      const slot = slotLabel(firstSlot(parse(call.result)));
      return slot ? `The first free slot is ${slot}.` : 'There are no free slots right now.';
    }
    case 'book_appointment': {
      const when = slotLabel(args) ?? slotLabel(firstSlot(parse(call.result))) ?? 'your appointment';
      return succeeded(call.result) ? `Booked: ${when}.` : `I could not book ${when}: ${failureReason(call.result)}.`;
    }
    case 'update_contact_field':
      return failed(call.result) ? `I could not save your ${String(args.field ?? 'details')}: ${failureReason(call.result)}.` : `Saved your ${String(args.field ?? 'details')}: ${String(args.value ?? '')}.`;
    case 'handoff_to_human':
      return 'I have asked a person from our team to take over; they will reply here.';
    case 'end_conversation':
      return 'Thanks for chatting. Goodbye!';
    case 'add_tag':
      return failed(call.result) ? `I could not tag the contact: ${failureReason(call.result)}.` : `Tagged the contact${args.tag ? ` "${String(args.tag)}"` : ''}.`;
    default:
      return `${call.name} returned ${(call.result ?? '').slice(0, 120)}.`;
  }
}

/** The first line of a "Knowledge:" block in the system prompt, so retrieval shows in replies. */
function knowledgeLine(request: ChatRequest): string | undefined {
  const after = /Knowledge:[^\S\n]*\n?([\s\S]*)/i.exec(systemText(request))?.[1] ?? '';
  return after
    .split('\n')
    .map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)])\s*/, '').trim())
    .find((line) => line.length > 0);
}

function echo(request: ChatRequest): string {
  const said = lastUserText(request);
  const knowledge = knowledgeLine(request);
  return [`${SANDBOX} ${said ? `You said: "${said}".` : 'Hello! How can I help?'}`, knowledge ? `From the knowledge base: "${knowledge}"` : '']
    .filter(Boolean)
    .join(' ');
}

function text(request: ChatRequest, turn: TurnCall[]): string {
  const done = turn.filter((c) => c.result !== undefined);
  if (done.length === 0) return echo(request);
  return `${SANDBOX} ${done.map((c) => describe(c, done)).filter(Boolean).join(' ')}`;
}

/** The sandbox model's answer to a valid request. */
export function sandboxAnswer(request: ChatRequest): Answer {
  const choice = request.tool_choice ?? 'auto';
  const turn = callsThisTurn(request);
  if (offeredTools(request).length && choice !== 'none') {
    const next = nextIntentCall(request, turn);
    // A forced function is always called (as OpenAI does), with the intent's arguments if it has them.
    if (typeof choice === 'object') {
      const name = choice.function.name;
      return { kind: 'tools', calls: [next?.name === name ? next : { name, arguments: argsFor(request, name) }] };
    }
    if (next) return { kind: 'tools', calls: [next] };
    if (choice === 'required') {
      const name = offeredTools(request).find((n) => !turn.some((c) => c.name === n)) ?? offeredTools(request)[0]!;
      return { kind: 'tools', calls: [{ name, arguments: argsFor(request, name) }] };
    }
  }
  const format = request.response_format;
  if (format?.type === 'json_schema') {
    // A receipt to read (an image, or receipt text) is read rather than answered with the smallest instance.
    const read = visionAnswer(request);
    if (read !== null) return { kind: 'text', content: read };
    // Free-text fields that read as the answer carry the sandbox reply, so structured bots still talk.
    const reply = text(request, turn);
    const options = { text: (property?: string) => (property && REPLY_FIELDS.test(property) ? reply : undefined) };
    return { kind: 'text', content: JSON.stringify(instanceOf(format.json_schema?.schema ?? { type: 'object' }, options)) };
  }
  if (format?.type === 'json_object') return { kind: 'text', content: JSON.stringify({ reply: text(request, turn) }) };
  return { kind: 'text', content: text(request, turn) };
}
