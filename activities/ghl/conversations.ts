import type { GhlTransport } from './http';
import { VERSION_2021_04_15 as V } from './http';
import * as s from './schemas';

export type MessageType = 'SMS' | 'Email' | 'WhatsApp' | 'IG' | 'FB' | 'Custom' | 'Live_Chat' | 'InternalComment';

export interface SendMessageInput {
  type: MessageType;
  contactId: string;
  message?: string;
  subject?: string;
  html?: string;
  emailFrom?: string;
  emailTo?: string;
  emailCc?: string[];
  emailBcc?: string[];
  replyMessageId?: string;
  attachments?: string[];
  fromNumber?: string;
  toNumber?: string;
  /** Seconds since epoch; GHL schedules the message instead of sending it now. */
  scheduledTimestamp?: number;
}

export function conversationsModule(http: GhlTransport) {
  return {
    sendMessage: (input: SendMessageInput) =>
      http.request({ method: 'POST', path: '/conversations/messages', version: V, body: input, schema: s.sentMessage }),
  };
}
