/*
 * JSON Schema of a node config (nodeCatalog().configSchema, zod's toJSONSchema with io:'input')
 * to field descriptors the form renders. Pure: no React, so a unit test can walk every node type
 * and fail when one uses a shape this module does not know (kind 'unknown').
 *
 * UI hints the node types may set with zod `.meta({...})`:
 *   'x-ui': 'expression'  a one-line string that may hold {{ … }} (on a record: its values are)
 *   'x-ui': 'multiline'   the same, several lines (prompts, messages)
 *   'x-ui': 'duration'    a string-or-number duration that may be a {{ … }} expression
 *   'x-ui': 'json'        edit this object as one JSON document rather than key/value rows
 *   'x-key-label', 'x-value-label'  the column names of a record's rows ("Name"/"Value")
 */

export type JsonSchema = Record<string, unknown>;
export type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';

interface FieldBase {
  key: string;
  label: string;
  description?: string;
  required: boolean;
  /** The schema's default: shown as a placeholder, never written until edited. */
  default?: unknown;
}

export type MapValueKind = 'text' | 'expression' | 'json';

/** What a field is, by kind, beside its name and help. */
export type FieldShape =
    | { kind: 'text'; pattern?: string; minLength?: number; maxLength?: number; format?: string }
    | { kind: 'expression'; multiline: boolean }
    | { kind: 'number'; integer: boolean; minimum?: number; maximum?: number }
    | { kind: 'boolean' }
    | { kind: 'select'; options: string[] }
    | { kind: 'multiselect'; options: string[] }
    | { kind: 'list'; itemType: 'integer' | 'number' | 'string'; minimum?: number; maximum?: number }
    | { kind: 'map'; valueKind: MapValueKind; keyLabel: string; valueLabel: string }
    /** Any JSON (strings inside may be templates); `accepts` narrows the top-level type. */
    | { kind: 'json'; accepts?: JsonType[] }
    | { kind: 'booleanOrExpression' }
    /** A string or a number (durations): one input, digits only = a number. */
    | { kind: 'stringOrNumber'; expression: boolean }
    | { kind: 'object'; fields: FieldDescriptor[]; toggle: boolean }
    | { kind: 'objectList'; itemLabel: string; fields: FieldDescriptor[]; minItems?: number; maxItems?: number }
    | { kind: 'const'; value: unknown }
    | { kind: 'unknown'; reason: string };

export type FieldDescriptor = FieldBase & FieldShape;

export type FieldKind = FieldDescriptor['kind'];

/** Every kind the form renders ('unknown' is the generator saying it could not decide). */
export const FIELD_KINDS: readonly FieldKind[] = [
  'text', 'expression', 'number', 'boolean', 'select', 'multiselect', 'list', 'map', 'json',
  'booleanOrExpression', 'stringOrNumber', 'object', 'objectList', 'const', 'unknown',
];

/** The fields of a node config schema (an object schema), in property order. */
export function describeConfigSchema(schema: JsonSchema): FieldDescriptor[] {
  return objectFields(schema, schema);
}

/** "responseTimeoutMs" → "Response timeout (ms)", "maxItems" → "Max items". */
export function humanise(key: string): string {
  const ms = /Ms$/.test(key);
  const base = ms ? key.slice(0, -2) : key;
  const words = base
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  const text = words.charAt(0).toUpperCase() + words.slice(1);
  return ms ? `${text} (ms)` : text;
}

/** Every descriptor, nested ones included (objects and list rows). */
export function allFields(fields: readonly FieldDescriptor[]): FieldDescriptor[] {
  return fields.flatMap((f) => (f.kind === 'object' || f.kind === 'objectList' ? [f, ...allFields(f.fields)] : [f]));
}

function objectFields(schema: JsonSchema, root: JsonSchema): FieldDescriptor[] {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
  return Object.entries(properties).map(([key, prop]) => describeField(key, isRecord(prop) ? prop : {}, required.includes(key), root));
}

function describeField(key: string, raw: JsonSchema, required: boolean, root: JsonSchema): FieldDescriptor {
  const s = resolve(raw, root);
  const base: FieldBase = {
    key,
    label: typeof s.title === 'string' ? s.title : humanise(key),
    required,
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
    ...('default' in s ? { default: s.default } : {}),
  };
  return { ...base, ...describeShape(s, root, required) };
}

function describeShape(s: JsonSchema, root: JsonSchema, required: boolean): FieldShape {
  const ui = s['x-ui'];
  if (isAnyJson(s, root)) return { kind: 'json' };
  if (Array.isArray(s.anyOf)) return describeUnion(s.anyOf.filter(isRecord).map((o) => resolve(o, root)), root);
  const type = s.type;
  if (Array.isArray(type)) {
    if (sameSet(type, ['string', 'number'])) return { kind: 'stringOrNumber', expression: ui === 'duration' };
    return unknown(`type ${JSON.stringify(type)}`);
  }
  if ('const' in s) return { kind: 'const', value: s.const };
  switch (type) {
    case 'string':
      if (Array.isArray(s.enum)) return { kind: 'select', options: s.enum.map(String) };
      if (ui === 'expression' || ui === 'multiline') return { kind: 'expression', multiline: ui === 'multiline' };
      return {
        kind: 'text',
        ...pick(s, 'pattern', 'string'),
        ...pick(s, 'minLength', 'number'),
        ...pick(s, 'maxLength', 'number'),
        ...pick(s, 'format', 'string'),
      };
    case 'integer':
    case 'number':
      return { kind: 'number', integer: type === 'integer', ...pick(s, 'minimum', 'number'), ...pick(s, 'maximum', 'number') };
    case 'boolean':
      return { kind: 'boolean' };
    case 'array':
      return describeArray(s, root);
    case 'object':
      return describeObject(s, root, required);
    default:
      return unknown(`type ${JSON.stringify(type)}`);
  }
}

function describeUnion(options: JsonSchema[], root: JsonSchema): FieldShape {
  const types = options.map((o) => o.type);
  if (sameSet(types, ['boolean', 'string'])) return { kind: 'booleanOrExpression' };
  // A template or a literal array (loop items): one JSON input takes both.
  if (sameSet(types, ['string', 'array']) && options.every((o) => o.type !== 'array' || isAnyJson(resolve(asRecord(o.items), root), root))) {
    return { kind: 'json', accepts: ['string', 'array'] };
  }
  return unknown(`anyOf ${JSON.stringify(types)}`);
}

function describeArray(s: JsonSchema, root: JsonSchema): FieldShape {
  const items = resolve(asRecord(s.items), root);
  if (items.type === 'string' && Array.isArray(items.enum)) return { kind: 'multiselect', options: items.enum.map(String) };
  if (items.type === 'integer' || items.type === 'number' || (items.type === 'string' && !Array.isArray(items.enum))) {
    return { kind: 'list', itemType: items.type, ...pick(items, 'minimum', 'number'), ...pick(items, 'maximum', 'number') };
  }
  if (items.type === 'object' && isRecord(items.properties)) {
    return {
      kind: 'objectList',
      itemLabel: typeof items.title === 'string' ? items.title : 'Item',
      fields: objectFields(items, root),
      ...pick(s, 'minItems', 'number'),
      ...pick(s, 'maxItems', 'number'),
    };
  }
  return unknown('array of an unknown item shape');
}

function describeObject(s: JsonSchema, root: JsonSchema, required: boolean): FieldShape {
  if (s['x-ui'] === 'json') return { kind: 'json', accepts: ['object'] };
  if (isRecord(s.properties)) {
    const fields = objectFields(s, root);
    // An optional object with required members is switched on and off as a whole; one whose
    // members are all optional (a retry override) appears when a member is set.
    return { kind: 'object', fields, toggle: !required && fields.some((f) => f.required) };
  }
  if (isRecord(s.additionalProperties)) {
    const values = resolve(s.additionalProperties, root);
    const keyLabel = typeof s['x-key-label'] === 'string' ? s['x-key-label'] : 'Name';
    const valueLabel = typeof s['x-value-label'] === 'string' ? s['x-value-label'] : 'Value';
    if (isAnyJson(values, root)) return { kind: 'map', valueKind: 'json', keyLabel, valueLabel };
    if (values.type === 'string' && !Array.isArray(values.enum)) {
      return { kind: 'map', valueKind: s['x-ui'] === 'expression' ? 'expression' : 'text', keyLabel, valueLabel };
    }
    return unknown('record of an unknown value shape');
  }
  return unknown('object without properties');
}

const JSON_TYPES: JsonType[] = ['string', 'number', 'boolean', 'null', 'array', 'object'];

/** zod's z.json(): anyOf every JSON type (arrays and objects of itself). */
function isAnyJson(s: JsonSchema, root: JsonSchema): boolean {
  if (!Array.isArray(s.anyOf)) return false;
  const types = s.anyOf.filter(isRecord).map((o) => resolve(o, root).type);
  return sameSet(types, JSON_TYPES);
}

/** Follows a local $ref; the referring schema's own keys (title, description, …) win. */
function resolve(s: JsonSchema, root: JsonSchema, depth = 0): JsonSchema {
  const ref = s.$ref;
  if (typeof ref !== 'string' || depth > 20) return s;
  const match = /^#\/\$defs\/(.+)$/.exec(ref);
  const defs = isRecord(root.$defs) ? root.$defs : {};
  const target = match && isRecord(defs[match[1] as string]) ? (defs[match[1] as string] as JsonSchema) : {};
  const { $ref: _ref, ...own } = s;
  return { ...resolve(target, root, depth + 1), ...own };
}

function unknown(reason: string): FieldShape {
  return { kind: 'unknown', reason };
}

/** `{ [key]: s[key] }` when the schema has that keyword with that type, else nothing. */
function pick<K extends string, T extends 'string' | 'number'>(s: JsonSchema, key: K, type: T): Partial<Record<K, T extends 'string' ? string : number>> {
  return typeof s[key] === type ? ({ [key]: s[key] } as Record<K, T extends 'string' ? string : number>) : {};
}

function sameSet(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && b.every((x) => a.includes(x));
}

function isRecord(v: unknown): v is JsonSchema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asRecord(v: unknown): JsonSchema {
  return isRecord(v) ? v : {};
}
