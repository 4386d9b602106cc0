import { z } from 'zod';
import { text } from '../../schemas';
import { DEFAULT_HANDLE, type NodeType } from '../../types';
import { GHL_RETRY, GHL_TIMEOUT_MS, ghlIdField, ghlRetry, integrationId } from './common';

export const GHL_MESSAGE_TYPES = ['SMS', 'Email', 'WhatsApp', 'Live_Chat', 'IG', 'FB', 'Custom', 'InternalComment'] as const;

const config = z
  .strictObject({
    contactId: ghlIdField('Contact id', 'Who receives the message, e.g. {{ trigger.payload.id }}.'),
    type: z.enum(GHL_MESSAGE_TYPES).meta({ title: 'Channel', description: 'How the message is sent.' }),
    message: text().optional().meta({ title: 'Message', description: 'The text; may use {{ … }} expressions.', 'x-ui': 'multiline' }),
    subject: text().max(1000).optional().meta({ title: 'Subject', description: 'Email only; may use {{ … }} expressions.', 'x-ui': 'expression' }),
    html: text().optional().meta({ title: 'HTML body', description: 'Email only: the HTML body (the message is then the plain-text part).', 'x-ui': 'multiline' }),
    emailFrom: text().max(500).optional().meta({ title: 'From (email)', description: "Email only: the sender; default the location's.", 'x-ui': 'expression' }),
    fromNumber: text().max(50).optional().meta({ title: 'From number', description: "SMS/WhatsApp only: the sending number; default the location's.", 'x-ui': 'expression' }),
    integrationId: integrationId(),
    retry: ghlRetry(),
  })
  .superRefine((value, ctx) => {
    const has = (v: string | undefined) => v !== undefined && v.trim() !== '';
    if (value.type === 'Email') {
      if (!has(value.message) && !has(value.html)) ctx.addIssue({ code: 'custom', path: ['message'], message: 'an email needs a message or an HTML body' });
    } else {
      if (!has(value.message)) ctx.addIssue({ code: 'custom', path: ['message'], message: 'is required' });
      for (const key of ['subject', 'html', 'emailFrom'] as const) {
        if (value[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `only an Email has ${key}` });
      }
    }
    if (value.fromNumber !== undefined && value.type !== 'SMS' && value.type !== 'WhatsApp') ctx.addIssue({ code: 'custom', path: ['fromNumber'], message: 'only SMS and WhatsApp have a from number' });
  });

export type GhlMessageSendConfig = z.infer<typeof config>;

export const ghlMessageSend: NodeType<GhlMessageSendConfig> = {
  type: 'ghl.message.send',
  version: 1,
  label: 'GHL: send message',
  group: 'ghl',
  description: 'Sends an SMS, email, WhatsApp or chat message to a GoHighLevel contact; its output is {conversationId, messageId}. A retried step never sends twice.',
  config,
  handles: () => [DEFAULT_HANDLE],
  inputs: 'any',
  errorHandle: true,
  runtime: { kind: 'activity', activity: 'ghlAction' },
  retry: GHL_RETRY,
  timeoutMs: GHL_TIMEOUT_MS,
};
