import { z } from 'zod';
import { retryOverride, text } from '../../schemas';
import { DEFAULT_HANDLE, type NodeType } from '../../types';

const config = z.strictObject({
  model: text().min(1).max(200).meta({ title: 'Model', description: 'Model name, e.g. "gpt-4o-mini".', 'x-ui': 'expression' }),
  system: text().optional().meta({ title: 'System prompt', description: 'Instructions given before the prompt; may use {{ … }} expressions.', 'x-ui': 'multiline' }),
  prompt: text().min(1).meta({ title: 'Prompt', description: 'What the model is asked; may use {{ … }} expressions.', 'x-ui': 'multiline' }),
  temperature: z.number().min(0).max(2).optional().meta({ title: 'Temperature', description: 'Randomness of the reply, 0 to 2.' }),
  maxTokens: z.int().min(1).max(200_000).optional().meta({ title: 'Max tokens', description: 'Upper bound on the length of the reply.' }),
  /** Ask for JSON matching a schema; the output is then the parsed object. */
  responseFormat: z
    .strictObject({
      type: z.literal('json_schema').meta({ title: 'Format type', description: 'Always "json_schema".' }),
      name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, "_" or "-"').meta({ title: 'Schema name', description: 'A name for the schema: letters, digits, "_" or "-".' }),
      schema: z.record(z.string(), z.json()).meta({ title: 'JSON Schema', description: 'The JSON Schema the reply must match.', 'x-ui': 'json' }),
    })
    .optional()
    .meta({ title: 'Response format', description: 'Ask for JSON matching a schema; the output is then the parsed object.' }),
  retry: retryOverride().optional().meta({ title: 'Retry', description: 'Overrides of the retry policy; unset fields keep the default.' }),
  /** Per attempt. */
  timeoutMs: z.int().min(1_000).max(600_000).optional().meta({ title: 'Timeout (ms)', description: 'Per attempt, in milliseconds.' }),
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
