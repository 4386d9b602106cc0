import { z } from 'zod';
import { headerMap } from '../../schemas';
import { DEFAULT_HANDLE, type NodeType } from '../../types';

const config = z.strictObject({
  status: z.int().min(100).max(599).default(200).meta({ title: 'Status', description: 'HTTP status of the response.' }),
  headers: headerMap().optional().meta({ title: 'Headers', description: 'Response headers; values may be {{ … }} expressions.', 'x-ui': 'expression' }),
  /** May contain templates. */
  body: z.json().optional().meta({ title: 'Body', description: 'JSON sent back to the caller; strings inside may be {{ … }} expressions.' }),
});

export type RespondConfig = z.infer<typeof config>;

export const respondNode: NodeType<RespondConfig> = {
  type: 'flow.respond',
  version: 1,
  label: 'Respond to webhook',
  group: 'flow',
  description: 'Answers the waiting caller of a sync webhook; the run goes on afterwards.',
  config,
  handles: () => [DEFAULT_HANDLE],
  inputs: 'any',
  errorHandle: false,
  runtime: { kind: 'respond' },
};
