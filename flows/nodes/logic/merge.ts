import { z } from 'zod';
import { DEFAULT_HANDLE, type NodeType } from '../../types';

const config = z.strictObject({});

export type MergeConfig = z.infer<typeof config>;

export const mergeNode: NodeType<MergeConfig> = {
  type: 'logic.merge',
  version: 1,
  label: 'Merge',
  group: 'logic',
  description: 'Waits for the incoming branches that run; its output is each one’s output by node id.',
  config,
  handles: () => [DEFAULT_HANDLE],
  inputs: 'any',
  errorHandle: false,
  // The interpreter joins: output = { <source node id>: output } of the branches that ran.
  runtime: { kind: 'merge' },
};
