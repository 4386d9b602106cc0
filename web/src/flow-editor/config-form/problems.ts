/*
 * Problems (paths relative to the config, "url", "cases.0.handle") pinned to the field that
 * shows them. Fields that edit a whole value in one input (JSON, maps, lists) also take the
 * problems inside it ("body.items.0", "headers.X-Token"); what no field takes is shown on top.
 */
import type { FieldDescriptor } from './schema-fields';
import { isPlainObject } from './values';

export interface FormProblem {
  path: string;
  message: string;
}

export interface PlacedProblems {
  /** Messages by the path of the field that shows them. */
  byField: Map<string, string[]>;
  unmatched: FormProblem[];
}

export function fieldPath(parent: string, key: string | number): string {
  return parent === '' ? String(key) : `${parent}.${key}`;
}

export function placeProblems(fields: readonly FieldDescriptor[], config: unknown, problems: readonly FormProblem[]): PlacedProblems {
  const exact = new Set<string>();
  const prefixes = new Set<string>();
  collect(fields, config, '', exact, prefixes);
  const byField = new Map<string, string[]>();
  const unmatched: FormProblem[] = [];
  for (const problem of problems) {
    const owner = exact.has(problem.path) ? problem.path : ownerPrefix(problem.path, prefixes);
    if (owner === undefined) unmatched.push(problem);
    else byField.set(owner, [...(byField.get(owner) ?? []), problem.message]);
  }
  return { byField, unmatched };
}

function ownerPrefix(path: string, prefixes: Set<string>): string | undefined {
  const parts = path.split('.');
  for (let n = parts.length - 1; n > 0; n--) {
    const candidate = parts.slice(0, n).join('.');
    if (prefixes.has(candidate)) return candidate;
  }
  return undefined;
}

function collect(fields: readonly FieldDescriptor[], value: unknown, parent: string, exact: Set<string>, prefixes: Set<string>) {
  const object = isPlainObject(value) ? value : {};
  for (const field of fields) {
    const path = fieldPath(parent, field.key);
    exact.add(path);
    if (field.kind === 'object') collect(field.fields, object[field.key], path, exact, prefixes);
    else if (field.kind === 'objectList') {
      const rows = Array.isArray(object[field.key]) ? (object[field.key] as unknown[]) : [];
      rows.forEach((row, i) => {
        exact.add(fieldPath(path, i));
        collect(field.fields, row, fieldPath(path, i), exact, prefixes);
      });
    } else if (field.kind !== 'const') prefixes.add(path);
  }
}
