import { z } from 'zod';
import { retryOverride, text } from '../../schemas';
import { DEFAULT_HANDLE, type NodeType } from '../../types';

const config = z.strictObject({
  model: text().min(1).max(200),
  system: text().optional(),
  prompt: text().min(1),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.int().min(1).max(200_000).optional(),
  /** Ask for JSON matching a schema; the output is then the parsed object. */
  responseFormat: z
    .strictObject({
      type: z.literal('json_schema'),
      name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, "_" or "-"'),
      schema: z.record(z.string(), z.json()),
    })
    .optional(),
  retry: retryOverride().optional(),
  /** Per attempt. */
  timeoutMs: z.int().min(1_000).max(600_000).optional(),
});

export type LlmConfig = z.infer<typeof config>;

export const llmNode: NodeType<LlmConfig> = {
  type: 'ai.llm',
  version: 1,
  label: 'AI prompt',
  group: 'ai',
  description: 'Sends a prompt to a language model; its output is the reply (text or JSON).',
  config,
  handles: () => [DEFAULT_HANDLE],
  inputs: 'any',
  errorHandle: true,
  runtime: { kind: 'activity', activity: 'llmChat' },
  retry: { maximumAttempts: 3, initialIntervalMs: 2_000, backoffCoefficient: 2, maximumIntervalMs: 60_000 },
  timeoutMs: 120_000,
};
