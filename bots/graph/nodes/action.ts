import { z } from 'zod';
import { text } from '../../../flows/schemas';
import { DEFAULT_HANDLE, type NodeType } from '../../../flows/types';
import { CONTACT_FIELDS } from '../answers';

const config = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('add_tag'), tag: text().min(1, 'Which tag').meta({ title: 'Tag' }) }),
  z.strictObject({
    action: z.literal('update_contact_field'),
    field: z.enum(CONTACT_FIELDS).meta({ title: 'Field' }),
    value: text().min(1, 'Which value').meta({ title: 'Value', description: 'e.g. {{ vars.email }}' }),
  }),
  z.strictObject({ action: z.literal('book_appointment') }).meta({ description: "Books the first free slot of the bot's calendar." }),
]);

export type BotActionConfig = z.infer<typeof config>;

export const botAction: NodeType<BotActionConfig> = {
  type: 'bot.action',
  version: 1,
  label: 'Action',
  group: 'bot',
  description: 'Tags the contact, updates a contact field or books an appointment in GHL; "error" when GHL refuses.',
  config,
  handles: () => [DEFAULT_HANDLE],
  inputs: 'any',
  errorHandle: true,
  runtime: { kind: 'conversation' },
};
