/*
 * Value helpers of the config form: setting and clearing keys, and the text forms of JSON,
 * lists and durations (what an input shows, and what its text means).
 */
export { jsonEqual as sameJson } from '../../../../flows/json';
import type { JsonType } from './schema-fields';

export type Config = Record<string, unknown>;

/** A copy of `object` with `key` set, or removed when `value` is undefined (a cleared field). */
export function withKey(object: Config | undefined, key: string, value: unknown): Config {
  const next: Config = { ...(object ?? {}) };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

export function isPlainObject(v: unknown): v is Config {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * The text a JSON input shows for a value. A string is shown bare (`{{ trigger.body }}`,
 * `hello`) when its bare text reads back as the same string; otherwise as JSON (`"42"`).
 */
export function formatJson(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') {
    const bare = parseJson(value);
    if (bare.ok && bare.value === value) return value;
  }
  return JSON.stringify(value, null, 2) ?? '';
}

/**
 * What a JSON input's text means: '' = no value; JSON when it parses; otherwise, text that
 * does not look like JSON is a string (usually a `{{ … }}` template); text that does look
 * like JSON (an object, array, quoted string or number) but does not parse is an error.
 */
export function parseJson(text: string): Parsed<unknown> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(trimmed) as unknown };
  } catch (error) {
    const looksLikeJson = /^(\{(?!\{)|\[|"|-?\d)/.test(trimmed);
    if (!looksLikeJson) return { ok: true, value: text };
    return { ok: false, error: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonType;
}

const TYPE_NAMES: Record<JsonType, string> = {
  string: 'a {{ … }} expression or text',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
  array: 'a JSON array',
  object: 'a JSON object',
};

/** The JSON input's text checked against the types the field takes. */
export function parseJsonAs(text: string, accepts: readonly JsonType[] | undefined): Parsed<unknown> {
  const parsed = parseJson(text);
  if (!parsed.ok || parsed.value === undefined || !accepts || accepts.includes(jsonTypeOf(parsed.value))) return parsed;
  return { ok: false, error: `Expected ${accepts.map((t) => TYPE_NAMES[t]).join(' or ')}` };
}

export function formatList(value: unknown): string {
  return Array.isArray(value) ? value.map((v) => String(v)).join(', ') : '';
}

/** "200, 201" → [200, 201]; '' → undefined (no value). */
export function parseList(text: string, itemType: 'integer' | 'number' | 'string'): Parsed<unknown[] | undefined> {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) return { ok: true, value: undefined };
  if (itemType === 'string') return { ok: true, value: parts };
  const numbers = parts.map(Number);
  const bad = parts.find((p, i) => !Number.isFinite(numbers[i]) || (itemType === 'integer' && !Number.isInteger(numbers[i])));
  if (bad !== undefined) return { ok: false, error: `"${bad}" is not ${itemType === 'integer' ? 'a whole number' : 'a number'}` };
  return { ok: true, value: numbers };
}

/** A string-or-number input: '' = no value, digits only = a number (milliseconds), else the text. */
export function parseStringOrNumber(text: string): string | number | undefined {
  if (text.trim() === '') return undefined;
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : text;
}

/** A number input's text: '' = no value. */
export function parseNumber(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** A default as placeholder text. */
export function placeholderOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.join(', ');
  if (isPlainObject(value) && Object.keys(value).length === 0) return undefined;
  return JSON.stringify(value);
}
