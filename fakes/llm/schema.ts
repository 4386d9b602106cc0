import type { JsonSchema } from './types';

/*
 * A small JSON Schema walker for the subset OpenAI's structured outputs accept: it builds the
 * smallest deterministic instance of a schema (what the sandbox model "answers"), checks a value
 * against a schema (to prove those answers valid), and applies the strict-mode rules OpenAI
 * enforces on `strict: true` schemas.
 */
type Schema = JsonSchema & {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  $ref?: string;
  additionalProperties?: boolean | Schema;
};

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

function resolve(root: Schema, schema: Schema): Schema {
  if (!schema.$ref) return schema;
  if (schema.$ref === '#') return root;
  const path = schema.$ref.replace(/^#\//, '').split('/');
  let at: unknown = root;
  for (const part of path) at = (at as Record<string, unknown> | undefined)?.[part];
  if (!at || typeof at !== 'object') throw new Error(`unresolvable $ref ${schema.$ref}`);
  return at as Schema;
}

function firstType(schema: Schema): string | undefined {
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  return types.find((t) => t !== 'null') ?? types[0] ?? (schema.properties ? 'object' : undefined);
}

const FORMATS: Record<string, string> = {
  email: 'sandbox@example.com',
  'date-time': '2030-01-01T09:00:00Z',
  date: '2030-01-01',
  time: '09:00:00',
  uuid: '00000000-0000-4000-8000-000000000000',
  uri: 'https://example.com/',
};

/** Free text for a string property with no format or enum (the sandbox puts its reply there). */
export interface InstanceOptions {
  text?: (property: string | undefined) => string | undefined;
}

function stringOf(schema: Schema, text: string | undefined): string {
  const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
  if (format) return format;
  const min = num(schema.minLength) ?? 0;
  const max = num(schema.maxLength);
  const value = (text ?? 'sandbox').padEnd(min, ' sandbox');
  return max !== undefined ? value.slice(0, max) : value;
}

function numberOf(schema: Schema, integer: boolean): number {
  const min = num(schema.minimum);
  const exMin = num(schema.exclusiveMinimum);
  const max = num(schema.maximum) ?? num(schema.exclusiveMaximum);
  let value = min ?? (exMin !== undefined ? (integer ? Math.floor(exMin) + 1 : exMin + 1) : 0);
  if (max !== undefined && value > max) value = integer ? Math.floor(max) : max;
  return integer ? Math.ceil(value) : value;
}

function build(schema: Schema, root: Schema, options: InstanceOptions, depth: number, property?: string): unknown {
  if (depth > 32) throw new Error('schema nests too deeply to build an instance');
  const s = resolve(root, schema);
  const next = (child: Schema, key?: string) => build(child, root, options, depth + 1, key);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  const branches = s.anyOf ?? s.oneOf;
  if (branches?.[0]) return next(branches[0], property);
  if (s.allOf?.length) return Object.assign({}, ...s.allOf.map((part) => next(part, property)));
  switch (firstType(s)) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of s.required ?? []) out[key] = s.properties?.[key] ? next(s.properties[key], key) : null;
      return out;
    }
    case 'array':
      return Array.from({ length: num(s.minItems) ?? 0 }, () => (s.items ? next(s.items, property) : null));
    case 'string':
      return stringOf(s, options.text?.(property));
    case 'integer':
      return numberOf(s, true);
    case 'number':
      return numberOf(s, false);
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return {};
  }
}

/** The smallest value valid against `schema`: required properties only, first enum value. */
export function instanceOf(schema: JsonSchema, options: InstanceOptions = {}): unknown {
  return build(schema as Schema, schema as Schema, options, 0);
}

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

/** Every way `value` breaks `schema`, as `path: problem` lines; empty when it is valid. */
export function validate(schema: JsonSchema, value: unknown, root: JsonSchema = schema, path = '$'): string[] {
  const s = resolve(root as Schema, schema as Schema);
  const errors: string[] = [];
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.length && !types.some((t) => typeMatches(t, value))) return [`${path}: expected ${types.join(' or ')}`];
  if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(value)) errors.push(`${path}: expected ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) errors.push(`${path}: not one of the enum values`);
  const branches = s.anyOf ?? s.oneOf;
  if (branches && !branches.some((b) => validate(b, value, root, path).length === 0)) errors.push(`${path}: matches no anyOf/oneOf branch`);
  for (const part of s.allOf ?? []) errors.push(...validate(part, value, root, path));
  if (typeof value === 'string') {
    if (value.length < (num(s.minLength) ?? 0)) errors.push(`${path}: shorter than ${String(s.minLength)}`);
    if (value.length > (num(s.maxLength) ?? Infinity)) errors.push(`${path}: longer than ${String(s.maxLength)}`);
  }
  if (typeof value === 'number') {
    if (value < (num(s.minimum) ?? -Infinity) || value > (num(s.maximum) ?? Infinity)) errors.push(`${path}: out of range`);
  }
  if (Array.isArray(value)) {
    if (value.length < (num(s.minItems) ?? 0)) errors.push(`${path}: fewer than ${String(s.minItems)} items`);
    if (s.items) value.forEach((item, i) => errors.push(...validate(s.items!, item, root, `${path}[${i}]`)));
  }
  if (typeMatches('object', value)) {
    const obj = value as Record<string, unknown>;
    for (const key of s.required ?? []) if (!(key in obj)) errors.push(`${path}: missing required property ${key}`);
    for (const [key, v] of Object.entries(obj)) {
      const prop = s.properties?.[key];
      if (prop) errors.push(...validate(prop, v, root, `${path}.${key}`));
      else if (s.additionalProperties === false) errors.push(`${path}: unexpected property ${key}`);
    }
  }
  return errors;
}

/**
 * OpenAI's strict-mode rules: every object lists all its properties as required and forbids
 * additional ones. Returns the first breach as OpenAI words it, or null.
 */
export function strictProblem(schema: JsonSchema, context: string[] = []): string | null {
  const s = schema as Schema;
  const where = `In context=(${context.map((c) => `'${c}'`).join(', ')})`;
  if (firstType(s) === 'object' && !s.$ref) {
    if (s.additionalProperties !== false) return `${where}, 'additionalProperties' is required to be supplied and to be false.`;
    const keys = Object.keys(s.properties ?? {});
    const missingKey = keys.find((k) => !(s.required ?? []).includes(k));
    if (missingKey) return `${where}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missingKey}'.`;
  }
  const children: [string, Schema][] = [
    ...Object.entries(s.properties ?? {}).map(([k, v]): [string, Schema] => [`properties', '${k}`, v]),
    ...(s.items ? [['items', s.items] as [string, Schema]] : []),
    ...(s.anyOf ?? []).map((v, i): [string, Schema] => [`anyOf', '${i}`, v]),
    ...Object.entries((s.$defs ?? {}) as Record<string, Schema>).map(([k, v]): [string, Schema] => [`$defs', '${k}`, v]),
  ];
  for (const [key, child] of children) {
    const problem = strictProblem(child, [...context, key]);
    if (problem) return problem;
  }
  return null;
}
