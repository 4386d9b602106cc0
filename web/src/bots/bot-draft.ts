/*
 * The settings form edits a draft of strings in the units people think in (seconds, hours);
 * the API stores milliseconds and seconds. These two functions are the only place that converts.
 */
import type { Bot, BotChannel, BotFields, BotGoal, BotMode, BotTool } from '../api/bots';
import { InputError } from '../use-submit';

export interface GoalDraft extends BotGoal {
  /** React's key: ids are edited, so they cannot be the key. */
  key: number;
}

export interface BotDraft {
  name: string;
  mode: BotMode;
  channels: BotChannel[];
  model: string;
  persona: string;
  instructions: string;
  goals: GoalDraft[];
  maxToolCallsPerTurn: string;
  fallbackMessage: string;
  allowedTools: BotTool[];
  replyDebounceSeconds: string;
  maxAutoMessages: string;
  sleepOnHumanReply: boolean;
  idleTimeoutHours: string;
  /** The GHL calendar id; empty: none. */
  calendarId: string;
}

const MS_PER_SECOND = 1000;
const SECONDS_PER_HOUR = 3600;

/** A number for display: at most 4 decimals, no trailing zeros (0.5, 24, 0.0167). */
const decimal = (n: number) => String(Number(n.toFixed(4)));

export function toDraft(bot: Bot): BotDraft {
  return {
    name: bot.name,
    mode: bot.mode,
    channels: bot.channels,
    model: bot.model ?? '',
    persona: bot.persona,
    instructions: bot.instructions,
    goals: bot.goals.map((g, i) => ({ ...g, key: i })),
    maxToolCallsPerTurn: String(bot.guardrails.maxToolCallsPerTurn),
    fallbackMessage: bot.guardrails.fallbackMessage,
    allowedTools: bot.guardrails.allowedTools,
    replyDebounceSeconds: decimal(bot.replyDebounceMs / MS_PER_SECOND),
    maxAutoMessages: String(bot.maxAutoMessages),
    sleepOnHumanReply: bot.sleepOnHumanReply,
    idleTimeoutHours: decimal(bot.idleTimeoutSeconds / SECONDS_PER_HOUR),
    calendarId: bot.calendarId ?? '',
  };
}

/** A number typed in a field, or undefined when it is not one (empty included). */
function parseNumber(text: string): number | undefined {
  const t = text.trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(t)) return undefined;
  return Number(t);
}

/**
 * The draft as the API's fields. Numbers that do not parse are reported under the API's own
 * paths, so they land on the same fields as the server's errors would.
 */
export function toFields(draft: BotDraft): BotFields {
  const errors: Record<string, string> = {};
  const number = (path: string, text: string, scale: number, whole: boolean) => {
    const n = parseNumber(text);
    if (n === undefined) errors[path] = 'Enter a number (0 or more)';
    else if (whole && !Number.isInteger(n)) errors[path] = 'Enter a whole number';
    return Math.round((n ?? 0) * scale);
  };
  const fields: BotFields = {
    name: draft.name,
    mode: draft.mode,
    channels: draft.channels,
    model: draft.model.trim() === '' ? null : draft.model.trim(),
    persona: draft.persona,
    instructions: draft.instructions,
    goals: draft.goals.map(({ id, name, description, kind, field, tag }) => ({
      id,
      name,
      description,
      kind: kind ?? 'custom',
      ...(kind === 'contact_field' && field ? { field } : {}),
      ...(kind === 'tag_added' && tag ? { tag } : {}),
    })),
    guardrails: {
      maxToolCallsPerTurn: number('guardrails.maxToolCallsPerTurn', draft.maxToolCallsPerTurn, 1, true),
      fallbackMessage: draft.fallbackMessage,
      allowedTools: draft.allowedTools,
    },
    replyDebounceMs: number('replyDebounceMs', draft.replyDebounceSeconds, MS_PER_SECOND, false),
    maxAutoMessages: number('maxAutoMessages', draft.maxAutoMessages, 1, true),
    sleepOnHumanReply: draft.sleepOnHumanReply,
    idleTimeoutSeconds: number('idleTimeoutSeconds', draft.idleTimeoutHours, SECONDS_PER_HOUR, false),
    calendarId: draft.calendarId.trim() === '' ? null : draft.calendarId.trim(),
  };
  if (Object.keys(errors).length > 0) throw new InputError(errors);
  return fields;
}

/** Every path the settings form shows an error next to. */
export function settingsFieldPaths(draft: BotDraft): string[] {
  const goalPaths = draft.goals.flatMap((_, i) => [`goals.${i}`, `goals.${i}.id`, `goals.${i}.name`, `goals.${i}.description`, `goals.${i}.field`, `goals.${i}.tag`]);
  return [
    'name', 'mode', 'channels', 'model', 'persona', 'instructions', 'goals', ...goalPaths,
    'guardrails.maxToolCallsPerTurn', 'guardrails.fallbackMessage', 'guardrails.allowedTools',
    'replyDebounceMs', 'maxAutoMessages', 'sleepOnHumanReply', 'idleTimeoutSeconds', 'calendarId',
  ];
}
