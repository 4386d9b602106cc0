import { z } from 'zod';
import { DEFAULT_HANDLE, type NodeType } from '../../types';

const config = z.strictObject({
  /** Another workflow of the same organization (checked by the compiler when it knows them). */
  workflowId: z.uuid().meta({ title: 'Workflow ID', description: 'The published workflow to run (same organization).' }),
  /** Its trigger's input; may contain templates. */
  input: z.json().optional().meta({ title: 'Input', description: 'What its trigger receives (JSON); strings inside may be {{ … }} expressions.' }),
  /** Wait for it to finish (its output becomes this node's) or only start it. */
  wait: z.boolean().default(true).meta({ title: 'Wait for result', description: 'Wait for it to finish and use its output, or only start it.' }),
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
