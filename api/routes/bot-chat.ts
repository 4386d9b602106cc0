/*
 * Chatting with a bot as a contact: the web chat and the bots page's simulator. The message
 * goes to the contact's conversation workflow (update-with-start) and the answer is the bot's
 * reply, with the conversation's status.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { z } from 'zod';
import { sendBotMessage } from '../bots/conversation';
import { CHANNELS, MAX_MESSAGE_CHARS } from '../../workflows/bots/messages';
import { HttpError } from '../http/errors';
import { defineRoute, orgAccess, type RouteDef } from '../http/route';

const chatBody = z.strictObject({
  contactId: z.uuid(),
  text: z
    .string()
    .max(MAX_MESSAGE_CHARS, `At most ${MAX_MESSAGE_CHARS} characters`)
    .refine((t) => t.trim().length > 0, 'Say something')
    .refine((t) => !t.includes('\u0000'), 'Text only'),
  channel: z.enum(CHANNELS).optional(),
  /** The GHL calendar the booking tools use (until a bot carries its own). */
  calendarId: z.string().trim().min(1).max(100).optional(),
  /**
   * True (the default, the simulator): the bot answers at once whatever its mode. False: as on a
   * live channel, with the bot's mode (off: silent, suggest: a draft) and debounce window.
   */
  preview: z.boolean().default(true),
});

export const botChatRoutes: RouteDef[] = [
  defineRoute<z.infer<typeof chatBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/bots/:botId/chat',
    summary: "Send a contact's message to a bot and get its reply (null while a person has the conversation)",
    tags: ['bots'],
    access: orgAccess('conversations', 'update'),
    body: chatBody,
    response: z.object({
      reply: z.string().nullable(),
      messageId: z.string(),
      status: z.enum(['active', 'handed_off', 'closed']),
      suggestion: z.string().optional().describe('Suggest mode: the drafted reply for a person to send'),
      merged: z.boolean().optional().describe('Answered together with a later message of the debounce window'),
    }),
    errors: { 409: 'The conversation is closed' },
    async handler({ params, body, asUser, services }) {
      const orgId = params.orgId!;
      const botId = params.botId!;
      await asUser(async (tx) => {
        const [bot] = await tx`select 1 from public.bots where organization_id = ${orgId} and id = ${botId} and deleted_at is null`;
        if (!bot) throw new HttpError(404, 'No such bot');
        const [contact] = await tx`select 1 from public.contacts where organization_id = ${orgId} and id = ${body.contactId} and deleted_at is null`;
        if (!contact) throw new HttpError(422, 'No such contact in this organization', [{ path: 'contactId', message: 'not a contact of this organization' }]);
      });
      try {
        return await sendBotMessage(services, { orgId, botId, contactId: body.contactId, channel: body.channel ?? 'web', text: body.text, preview: body.preview, ...(body.calendarId ? { calendarId: body.calendarId } : {}) });
      } catch (err) {
        // The workflow's validator refuses messages for a closed conversation.
        if (err instanceof WorkflowUpdateFailedError) throw new HttpError(409, `The bot did not take the message: ${(err.cause as Error | undefined)?.message ?? err.message}`);
        throw err;
      }
    },
  }),
];
