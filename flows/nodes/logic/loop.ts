import { z } from 'zod';
import { template } from '../../schemas';
import type { NodeType } from '../../types';

export const LOOP_BODY_HANDLE = 'body';
export const LOOP_DONE_HANDLE = 'done';

const config = z.strictObject({
  /** Must evaluate to an array (a literal array is accepted too). */
  items: z
    .union([template(), z.array(z.json())], { error: 'must be a {{ … }} expression or an array' })
    .meta({ title: 'Items', description: 'A {{ … }} expression giving a list, or a JSON array.' }),
  maxItems: z.int().min(1).max(100_000).default(1_000).meta({ title: 'Max items', description: 'The run fails when the list is longer.' }),
  /** Items run at once. */
  concurrency: z.int().min(1).max(10).default(1).meta({ title: 'Concurrency', description: 'Items run at once.' }),
});

export type LoopConfig = z.infer<typeof config>;

/**
 * Runs the sub-graph behind its "body" handle once per item (with `vars.item` and `vars.index`
 * in scope), then continues on "done". The body is every node
 * reachable from the "body" handle; the compiler keeps it closed (no edge in or out of it but
 * the body handle), so the loop never needs a back edge.
 */
export const loopNode: NodeType<LoopConfig> = {
  type: 'logic.loop',
  version: 1,
  label: 'Loop',
  group: 'logic',
  description: 'Runs the “body” branch once for each item of a list, then continues on “done”.',
  config,
  handles: () => [LOOP_BODY_HANDLE, LOOP_DONE_HANDLE],
  inputs: 'any',
  errorHandle: false,
  runtime: { kind: 'loop' },
};
