import { z } from 'zod';
import { DEFAULT_HANDLE, type NodeType } from '../../types';

const config = z.strictObject({
  /** Another workflow of the same organization (checked by the compiler when it knows them). */
  workflowId: z.uuid(),
  /** Its trigger's input; may contain templates. */
  input: z.json().optional(),
  /** Wait for it to finish (its output becomes this node's) or only start it. */
  wait: z.boolean().default(true),
});

export type SubflowConfig = z.infer<typeof config>;

export const subflowNode: NodeType<SubflowConfig> = {
  type: 'flow.subflow',
  version: 1,
  label: 'Run workflow',
  group: 'flow',
  description: 'Runs another published workflow as a child, waiting for its result or not.',
  config,
  handles: () => [DEFAULT_HANDLE],
  inputs: 'any',
  errorHandle: false,
  runtime: { kind: 'subflow' },
};
