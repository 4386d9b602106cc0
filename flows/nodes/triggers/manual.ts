import { z } from 'zod';
import { DEFAULT_HANDLE, type NodeType } from '../../types';

const config = z.strictObject({
  /** What a test run sends as the trigger's output when started from the editor. */
  samplePayload: z.json().optional().meta({ title: 'Sample payload', description: 'JSON a test run started from the editor sends as the trigger’s output.' }),
});

export type ManualTriggerConfig = z.infer<typeof config>;

export const manualTrigger: NodeType<ManualTriggerConfig> = {
  type: 'trigger.manual',
  version: 1,
  label: 'Manual start',
  group: 'triggers',
  description: 'Starts the flow by hand, from the editor or the API.',
  config,
  handles: () => [DEFAULT_HANDLE],
  inputs: 'none',
  errorHandle: false,
  runtime: { kind: 'trigger' },
};
