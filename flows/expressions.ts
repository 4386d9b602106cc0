/*
 * Expressions: `{{ … }}` segments inside config strings are JSONata, evaluated against the
 * ExpressionScope given as JSONata's input, so `{{ trigger.body.email }}`,
 * `{{ nodes.http1.output.status }}` (ids with "-" in backticks: nodes.`http-1`.output) and
 * `{{ vars.item }}` read it directly. A string that is exactly one `{{ … }}` keeps the JSON type
 * of its value; mixed text concatenates.
 *
 * Runs inside Temporal workflows: JSONata reads the clock only for $now()/$millis() and
 * Math.random only for $random()/$shuffle(), both of which the workflow sandbox makes
 * deterministic; nothing here binds anything else. Guards against pathological input are
 * deterministic too: a length cap, JSONata's depth limit and an evaluation step budget (never
 * a wall-clock timeout).
 */
import jsonata from 'jsonata';
import { ExpressionError } from './errors';
import type { ExpressionScope } from './types';

export const MAX_TEMPLATE_LENGTH = 10_000;
/** JSONata evaluation steps per expression: enough for real data, small enough for a workflow task. */
export const MAX_EVALUATION_STEPS = 100_000;
const MAX_EVALUATION_DEPTH = 500;
/** Nesting depth of a config (and of an expression's value) we walk. */
export const MAX_VALUE_DEPTH = 64;

const ENTRY_HOOK = Symbol.for('jsonata.__evaluate_entry');

export type TemplatePart = { kind: 'text'; text: string } | { kind: 'expression'; source: string; offset: number };

export interface TemplateProblem {
  message: string;
  /** Character offset in the template. */
  offset: number;
}

export interface ParsedTemplate {
  parts: TemplatePart[];
  /** The whole string is one `{{ … }}` (nothing around it): its value keeps its JSON type. */
  single: boolean;
  /** Node ids the expressions read as `nodes.<id>` (sorted, unique). */
  nodeRefs: string[];
  problems: TemplateProblem[];
}

/** A config string with at least one `{{` (a well-formed template or not). */
export function isTemplate(value: unknown): value is string {
  return typeof value === 'string' && value.includes('{{');
}

/** Splits a template into text and expressions and parses each expression; never throws. */
export function parseTemplate(template: string): ParsedTemplate {
  const { parts, problems, nodeRefs } = analyse(template);
  return {
    parts: parts.map((p) => (p.kind === 'text' ? p : { kind: 'expression', source: p.source, offset: p.offset })),
    single: parts.length === 1 && parts[0]?.kind === 'expression',
    nodeRefs,
    problems,
  };
}

/** The value of a template against a scope; a string without `{{` is returned as is. */
export async function evaluateTemplate(template: string, scope: ExpressionScope): Promise<unknown> {
  return evaluateAt(template, scope, {});
}

/**
 * A copy of `config` with every template string replaced by its value, walked depth first in
 * key order. A failure throws ExpressionError with `nodeId` and the field's dotted `path`.
 */
export async function evaluateConfig(
  config: Record<string, unknown>,
  scope: ExpressionScope,
  options: { nodeId: string },
): Promise<Record<string, unknown>> {
  const walk = async (value: unknown, path: string[]): Promise<unknown> => {
    if (path.length > MAX_VALUE_DEPTH) {
      throw new ExpressionError(`config is nested deeper than ${MAX_VALUE_DEPTH} levels`, { nodeId: options.nodeId, path: path.join('.') });
    }
    if (typeof value === 'string') return evaluateAt(value, scope, { nodeId: options.nodeId, path: path.join('.') });
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const [i, item] of value.entries()) out.push(await walk(item, [...path, String(i)]));
      return out;
    }
    if (isPlainObject(value)) {
      const entries: [string, unknown][] = [];
      for (const [key, item] of Object.entries(value)) entries.push([key, await walk(item, [...path, key])]);
      return Object.fromEntries(entries);
    }
    return value;
  };
  return (await walk(config, [])) as Record<string, unknown>;
}

/** Every template string inside a config, with its dotted path ("url", "cases.1.equals"). */
export function collectTemplates(config: unknown): { path: string; template: string }[] {
  const found: { path: string; template: string }[] = [];
  const walk = (value: unknown, path: string[]): void => {
    if (path.length > MAX_VALUE_DEPTH) return;
    if (isTemplate(value)) found.push({ path: path.join('.'), template: value });
    else if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, String(i)]));
    else if (isPlainObject(value)) for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
  };
  walk(config, []);
  return found;
}

// ---------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------
type AnalysedPart = { kind: 'text'; text: string } | { kind: 'expression'; source: string; offset: number; compiled?: jsonata.Expression };

function analyse(template: string): { parts: AnalysedPart[]; problems: TemplateProblem[]; nodeRefs: string[] } {
  if (template.length > MAX_TEMPLATE_LENGTH) {
    return { parts: [], problems: [{ message: `template is longer than ${MAX_TEMPLATE_LENGTH} characters`, offset: 0 }], nodeRefs: [] };
  }
  const parts: AnalysedPart[] = [];
  const problems: TemplateProblem[] = [];
  const nodeRefs = new Set<string>();
  let at = 0;
  while (at < template.length) {
    const open = template.indexOf('{{', at);
    if (open < 0) break;
    if (open > at) parts.push({ kind: 'text', text: template.slice(at, open) });
    const close = findClose(template, open + 2);
    if (close < 0) {
      problems.push({ message: `"{{" at character ${open} is never closed by "}}"`, offset: open });
      return { parts, problems, nodeRefs: [...nodeRefs].sort() };
    }
    const source = template.slice(open + 2, close);
    const part: AnalysedPart = { kind: 'expression', source, offset: open + 2 };
    if (source.trim() === '') {
      problems.push({ message: `empty expression "{{${source}}}" at character ${open}`, offset: open });
    } else {
      try {
        part.compiled = jsonata(source, { stack: MAX_EVALUATION_DEPTH });
        collectNodeRefs(part.compiled.ast(), nodeRefs);
      } catch (error) {
        const position = typeof (error as { position?: unknown }).position === 'number' ? (error as { position: number }).position : 0;
        problems.push({ message: `{{ ${abbreviate(source.trim())} }}: ${messageOf(error)}`, offset: open + 2 + position });
      }
    }
    parts.push(part);
    at = close + 2;
  }
  if (at < template.length) parts.push({ kind: 'text', text: template.slice(at) });
  return { parts, problems, nodeRefs: [...nodeRefs].sort() };
}

/**
 * Index of the "}}" closing an expression that starts at `from`: the first one outside string
 * literals, backtick names, comments and JSONata's own braces, so `{{ {"a": {"b": 1}} }}` works.
 */
function findClose(s: string, from: number): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'" || c === '`') {
      i = skipQuoted(s, i, c);
    } else if (c === '/' && s[i + 1] === '*') {
      const end = s.indexOf('*/', i + 2);
      i = end < 0 ? s.length : end + 1;
    } else if (c === '{') {
      depth++;
    } else if (c === '}') {
      if (depth === 0 && s[i + 1] === '}') return i;
      if (depth > 0) depth--;
    }
  }
  return -1;
}

function skipQuoted(s: string, start: number, quote: string): number {
  for (let i = start + 1; i < s.length; i++) {
    if (s[i] === '\\' && quote !== '`') i++;
    else if (s[i] === quote) return i;
  }
  return s.length;
}

/** Node ids read as `nodes.<id>…` (or `$$.nodes.<id>`) anywhere in an expression's syntax tree. */
function collectNodeRefs(ast: unknown, into: Set<string>): void {
  const seen = new Set<unknown>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const n = node as { type?: unknown; steps?: unknown };
    if (n.type === 'path' && Array.isArray(n.steps)) {
      const steps = n.steps as { type?: unknown; value?: unknown }[];
      const first = steps[0]?.type === 'variable' && (steps[0].value === '$' || steps[0].value === '') ? 1 : 0;
      const head = steps[first];
      const id = steps[first + 1];
      if (head?.type === 'name' && head.value === 'nodes' && id?.type === 'name' && typeof id.value === 'string') into.add(id.value);
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(ast);
}

// ---------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------
async function evaluateAt(template: string, scope: ExpressionScope, where: { nodeId?: string; path?: string }): Promise<unknown> {
  if (!isTemplate(template)) return template;
  const { parts, problems } = analyse(template);
  if (problems.length > 0) throw new ExpressionError(problems.map((p) => p.message).join('; '), where);
  const single = parts.length === 1 ? parts[0] : undefined;
  if (single?.kind === 'expression') return evaluateExpression(single, scope, where);
  let text = '';
  for (const part of parts) text += part.kind === 'text' ? part.text : render(await evaluateExpression(part, scope, where));
  return text;
}

async function evaluateExpression(
  part: Extract<AnalysedPart, { kind: 'expression' }>,
  scope: ExpressionScope,
  where: { nodeId?: string; path?: string },
): Promise<unknown> {
  const label = `{{ ${abbreviate(part.source.trim())} }}`;
  if (!part.compiled) throw new ExpressionError(`${label} does not parse`, where);
  let steps = 0;
  // The compiled expression belongs to this evaluation alone, so its step counter does too.
  (part.compiled.assign as unknown as (name: symbol, value: unknown) => void)(ENTRY_HOOK, () => {
    if (++steps > MAX_EVALUATION_STEPS) throw new Error(`gave up after ${MAX_EVALUATION_STEPS} evaluation steps`);
  });
  let value: unknown;
  try {
    value = await part.compiled.evaluate(scope);
  } catch (error) {
    throw new ExpressionError(`${label}: ${messageOf(error)}`, where);
  }
  return toJson(value, label, where, 0);
}

/** JSONata results as plain JSON: sequences become arrays; functions and regexes are refused. */
function toJson(value: unknown, label: string, where: { nodeId?: string; path?: string }, depth: number): unknown {
  if (depth > MAX_VALUE_DEPTH) throw new ExpressionError(`${label}: value is nested deeper than ${MAX_VALUE_DEPTH} levels`, where);
  if (value === undefined || value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ExpressionError(`${label}: evaluates to ${value}, not a JSON number`, where);
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => toJson(item, label, where, depth + 1) ?? null);
  if (isPlainObject(value) && !('_jsonata_lambda' in value) && !('_jsonata_function' in value)) {
    const entries = Object.entries(value).map(([k, v]) => [k, toJson(v, label, where, depth + 1)] as const);
    return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
  }
  throw new ExpressionError(`${label}: evaluates to a function, not a value`, where);
}

/** How a value reads inside text: objects as JSON, nothing (undefined or null) as "". */
function render(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** An object literal's kind of object, from any realm (the workflow sandbox is another one). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function abbreviate(source: string): string {
  return source.length > 80 ? `${source.slice(0, 77)}...` : source;
}

function messageOf(error: unknown): string {
  if (error instanceof RangeError && /call stack/i.test(error.message)) return 'expression is nested too deeply';
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message !== '' ? message : String(error);
}
