import { z } from 'zod';
import { text } from '../../../flows/schemas';
import type { NodeType } from '../../../flows/types';

const config = z.strictObject({
  message: text().default('').meta({ title: 'Message', description: 'The last thing the bot says (optional).' }),
});

export const botEnd: NodeType<z.infer<typeof config>> = {
  type: 'bot.end',
  version: 1,
  label: 'End',
  group: 'bot',
  description: 'Closes the conversation.',
  config,
  handles: () => [],
  inputs: 'any',
  errorHandle: false,
  runtime: { kind: 'conversation' },
};
