import { z } from 'zod';
import { text } from '../../../flows/schemas';
import { DEFAULT_HANDLE, type NodeType } from '../../../flows/types';

const config = z.strictObject({
  text: text().min(1, 'Say something').meta({ title: 'Text', description: 'Sent to the contact; {{ vars.email }} and {{ vars.message }} are filled in.' }),
});

export type BotMessageConfig = z.infer<typeof config>;

export const botMessage: NodeType<BotMessageConfig> = {
  type: 'bot.message',
  version: 1,
  label: 'Send message',
  group: 'bot',
  description: 'Adds a message to the reply and goes on.',
  config,
  handles: () => [DEFAULT_HANDLE],
  inputs: 'any',
  errorHandle: false,
  runtime: { kind: 'conversation' },
};
