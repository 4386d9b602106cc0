import { z } from 'zod';
import { text } from '../../../flows/schemas';
import { DEFAULT_HANDLE, type NodeType } from '../../../flows/types';

const config = z.strictObject({
  instructions: text().default('').meta({ title: 'Instructions for this step', description: "Added to the bot's own instructions while the conversation is here." }),
  exitOnGoal: z.string().max(100).optional().meta({ title: 'Leave when this goal is reached', description: 'A goal id of the bot.' }),
  maxTurns: z.number().int().min(1).max(100).default(10).meta({ title: 'Leave after this many replies' }),
});

export type BotLlmConfig = z.infer<typeof config>;

export const botLlm: NodeType<BotLlmConfig> = {
  type: 'bot.llm',
  version: 1,
  label: 'AI agent',
  group: 'bot',
  description: 'The model answers with the knowledge base and tools, message after message, until its goal is reached or its replies run out.',
  config,
  handles: () => [DEFAULT_HANDLE],
  inputs: 'any',
  errorHandle: false,
  runtime: { kind: 'conversation' },
};
