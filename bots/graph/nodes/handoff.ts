import { z } from 'zod';
import { text } from '../../../flows/schemas';
import type { NodeType } from '../../../flows/types';

const config = z.strictObject({
  message: text().default('').meta({ title: 'Message', description: 'Said before a person takes over (optional).' }),
});

export const botHandoff: NodeType<z.infer<typeof config>> = {
  type: 'bot.handoff',
  version: 1,
  label: 'Hand off',
  group: 'bot',
  description: 'Hands the conversation to a person: the bot stays silent until handed back.',
  config,
  handles: () => [],
  inputs: 'any',
  errorHandle: false,
  runtime: { kind: 'conversation' },
};
