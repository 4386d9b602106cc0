import { z } from 'zod';
import { DEFAULT_HANDLE, type NodeType } from '../../../flows/types';

const config = z.strictObject({});

export const botStart: NodeType<z.infer<typeof config>> = {
  type: 'bot.start',
  version: 1,
  label: 'Conversation starts',
  group: 'bot',
  description: "The contact's first message: the graph runs from here.",
  config,
  handles: () => [DEFAULT_HANDLE],
  inputs: 'none',
  errorHandle: false,
  runtime: { kind: 'trigger' },
};
