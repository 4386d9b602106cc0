/*
 * The stored definition: what the React Flow canvas saves. Node and edge objects carry more keys
 * than we keep (selected, dragging, width, measured, style, …); they are dropped, not refused,
 * so the canvas can send its state as is. Node `data` is only checked to be a JSON object here;
 * its node type's config schema validates it in the compiler.
 */
import { z } from 'zod';
import type { FlowDefinition } from './types';

export const MAX_NODES = 500;
export const MAX_EDGES = 2_000;
/** Nesting depth of a node's `data`: deep enough for any config, shallow enough to walk safely. */
export const MAX_DATA_DEPTH = 32;

export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const idSchema = z.string().regex(ID_PATTERN, 'must be 1 to 64 letters, digits, "_" or "-"');

const positionSchema = z.object({ x: z.number(), y: z.number() });

const dataSchema = z
  .record(z.string(), z.unknown())
  .refine((data) => depthOf(data, MAX_DATA_DEPTH) <= MAX_DATA_DEPTH, `is nested deeper than ${MAX_DATA_DEPTH} levels`);

export const definitionNodeSchema = z.object({
  id: idSchema,
  type: z.string().min(1).max(100),
  position: positionSchema,
  data: dataSchema,
});

export const definitionEdgeSchema = z.object({
  id: idSchema,
  source: idSchema,
  target: idSchema,
  sourceHandle: idSchema.nullish(),
  targetHandle: z.string().max(64).nullish(),
});

export const flowDefinitionSchema = z.object({
  nodes: z.array(definitionNodeSchema).max(MAX_NODES, `a flow has at most ${MAX_NODES} nodes`),
  edges: z.array(definitionEdgeSchema).max(MAX_EDGES, `a flow has at most ${MAX_EDGES} edges`),
});

// The schema's output is the contract's FlowDefinition (a compile error here means they drifted).
export type ParsedDefinition = z.infer<typeof flowDefinitionSchema>;
const _definitionMatchesContract = (d: ParsedDefinition): FlowDefinition => d;
void _definitionMatchesContract;

/** Depth of nested objects/arrays in `value`, counting stops once past `limit`. Iterative: no stack to overflow. */
function depthOf(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (item === null || typeof item !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}
