import { z } from 'zod';
import { text } from '../../../flows/schemas';
import { DEFAULT_HANDLE, type NodeType } from '../../../flows/types';
import { ANSWER_KINDS, CONTACT_FIELDS } from '../answers';

const config = z.strictObject({
  question: text().min(1, 'Ask something').meta({ title: 'Question' }),
  variable: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,63}$/i, 'Letters, digits and _, not starting with a digit')
    .meta({ title: 'Save the answer as', description: 'Later nodes read it as {{ vars.<name> }}.' }),
  expect: z.enum(ANSWER_KINDS).default('text').meta({ title: 'Expected answer' }),
  retries: z.number().int().min(0).max(5).default(2).meta({ title: 'Retries', description: 'How many times to ask again after an answer that does not fit.' }),
  retryMessage: text().default("Sorry, that doesn't look right. Could you try again?").meta({ title: 'Ask-again message' }),
  saveToContact: z.enum(CONTACT_FIELDS).optional().meta({ title: 'Also store on the contact', description: 'The GHL contact field the answer is written to.' }),
});

export type BotAskConfig = z.infer<typeof config>;

export const botAsk: NodeType<BotAskConfig> = {
  type: 'bot.ask',
  version: 1,
  label: 'Ask',
  group: 'bot',
  description: 'Asks a question, waits for the answer and checks it; "invalid" after the retries run out.',
  config,
  handles: () => [DEFAULT_HANDLE, 'invalid'],
  inputs: 'any',
  errorHandle: false,
  runtime: { kind: 'conversation' },
};
