import { z } from 'zod';
import { FlowError } from '../../errors';
import { text } from '../../schemas';
import type { NodeType } from '../../types';

const config = z.strictObject({
  /** Why the run fails (a template). */
  message: text().min(1).meta({ title: 'Message', description: 'Why the run fails; may use {{ … }} expressions.', 'x-ui': 'multiline' }),
});

export type ErrorConfig = z.infer<typeof config>;

export const errorNode: NodeType<ErrorConfig> = {
  type: 'flow.error',
  version: 1,
  label: 'Fail',
  group: 'flow',
  description: 'Stops the run as failed, with a message.',
  config,
  // The end of a branch: nothing follows.
  handles: () => [],
  inputs: 'any',
  errorHandle: false,
  runtime: {
    kind: 'inline',
    run(evaluated, ctx) {
      const message: unknown = evaluated.message;
      throw new FlowError(ctx.nodeId, typeof message === 'string' ? message : JSON.stringify(message) ?? 'flow failed');
    },
  },
};
