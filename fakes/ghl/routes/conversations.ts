import { fail, invalid } from '../errors';
import { body, V_2021_04_15, type RouteDef } from '../context';
import { outboundMessageEvent } from '../payloads';
import { ghlId, type FakeMessage } from '../state';
import { getContact } from './contacts';

const TYPES = ['SMS', 'Email', 'WhatsApp', 'IG', 'FB', 'Custom', 'Live_Chat', 'InternalComment'];

export const conversationRoutes: RouteDef[] = [
  {
    method: 'post',
    path: '/conversations/messages',
    version: V_2021_04_15,
    handler(req, ctx) {
      const b = body(req);
      if (typeof b.type !== 'string' || !TYPES.includes(b.type)) throw invalid(`type must be one of the following values: ${TYPES.join(', ')}`);
      if (typeof b.contactId !== 'string' || !b.contactId) throw invalid('contactId should not be empty', 'contactId must be a string');
      const contact = getContact(ctx, b.contactId);
      const text = typeof b.message === 'string' ? b.message : null;
      const html = typeof b.html === 'string' ? b.html : null;
      if (b.type === 'Email') {
        if (!contact.email && !b.emailTo) throw fail(400, 'Contact does not have an email address');
        if (!text && !html) throw invalid('message or html should not be empty');
      } else if (!text && !(Array.isArray(b.attachments) && b.attachments.length)) {
        throw invalid('message should not be empty');
      }
      if ((b.type === 'SMS' || b.type === 'WhatsApp') && !contact.phone && !b.toNumber) throw fail(400, 'Contact does not have a phone number');
      if (contact.dnd && b.type !== 'InternalComment') throw fail(400, 'Contact has DND enabled');
      let conversationId = ctx.state.conversations.get(contact.id);
      if (!conversationId) {
        conversationId = ghlId();
        ctx.state.conversations.set(contact.id, conversationId);
      }
      const msg: FakeMessage = {
        id: ghlId(),
        conversationId,
        contactId: contact.id,
        locationId: ctx.locationId,
        type: b.type,
        direction: 'outbound',
        body: text,
        subject: typeof b.subject === 'string' ? b.subject : null,
        html,
        emailMessageId: b.type === 'Email' ? ghlId() : null,
        status: typeof b.scheduledTimestamp === 'number' ? 'scheduled' : 'sent',
        dateAdded: new Date().toISOString(),
        ...(ctx.apiMessagesUserId ? { userId: ctx.apiMessagesUserId } : {}),
      };
      ctx.state.messages.set(msg.id, msg);
      ctx.emit(outboundMessageEvent(msg));
      return {
        conversationId,
        messageId: msg.id,
        ...(msg.emailMessageId ? { emailMessageId: msg.emailMessageId } : {}),
        msg: 'Message queued successfully.',
      };
    },
  },
];
