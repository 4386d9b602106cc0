import { z } from 'zod';
import { booleanOrTemplate } from '../../schemas';
import type { NodeType } from '../../types';

const config = z.strictObject({
  condition: booleanOrTemplate().meta({ title: 'Condition', description: 'Always true, always false, or a {{ … }} expression; "false", "0" and "" count as false.' }),
});

export type IfConfig = z.infer<typeof config>;

/** JavaScript truthiness, except that the strings "false" and "0" (and "") are false too. */
export function isTrue(value: unknown): boolean {
  if (typeof value === 'string') return !['', 'false', '0'].includes(value.trim().toLowerCase());
  return Boolean(value);
}

export const ifNode: NodeType<IfConfig> = {
  type: 'logic.if',
  version: 1,
  label: 'If',
  group: 'logic',
  description: 'Continues on "true" or "false" depending on a condition.',
  config,
  handles: () => ['true', 'false'],
  inputs: 'any',
  errorHandle: false,
  runtime: {
    kind: 'inline',
    // `condition` is the evaluated value here, of any JSON type.
    run(evaluated) {
      const result = isTrue(evaluated.condition as unknown);
      return { output: { result }, handle: result ? 'true' : 'false' };
    },
  },
};
