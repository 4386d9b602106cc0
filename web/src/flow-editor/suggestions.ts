/*
 * Expression paths offered by the autocomplete of `{{ }}` fields: what every expression can
 * read (trigger, nodes.<id>.output, vars, execution), made concrete by the last test run's data.
 */
import type { FlowDefinition } from '../../../flows/types';

const MAX_DEPTH = 4;
const MAX_PATHS = 300;
const SAFE_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export interface RunData {
  trigger: unknown;
  /** Node id to its output in that run (loop iterations left out). */
  outputs: Record<string, unknown>;
}

export function expressionPaths(def: FlowDefinition, run?: RunData): string[] {
  const paths = new Set<string>(['trigger', 'trigger.body', 'trigger.headers', 'trigger.query', 'vars.item', 'vars.index', 'execution.id', 'execution.startedAt']);
  if (run) walk('trigger', run.trigger, 0, paths);
  for (const node of def.nodes) {
    const base = `nodes.${SAFE_KEY.test(node.id) ? node.id : `\`${node.id}\``}.output`;
    paths.add(base);
    if (run && node.id in run.outputs) walk(base, run.outputs[node.id], 0, paths);
  }
  return [...paths].slice(0, MAX_PATHS);
}

function walk(prefix: string, value: unknown, depth: number, into: Set<string>): void {
  into.add(prefix);
  if (depth >= MAX_DEPTH || into.size >= MAX_PATHS || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    // JSONata maps over arrays: `list[0]` and `list.field` both read something useful.
    if (value.length > 0) walk(`${prefix}[0]`, value[0], depth + 1, into);
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    walk(`${prefix}.${SAFE_KEY.test(key) ? key : `\`${key}\``}`, child, depth + 1, into);
  }
}
