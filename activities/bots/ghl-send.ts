/*
 * Sending one conversation message (a bot's reply or a person's) to the contact through GHL's
 * send-message API, exactly once. The caller holds the message row locked (`for update`) in `tx`;
 * the row is marked delivered in that same transaction, and keeps GHL's message id so GHL's
 * OutboundMessage echo of it is known as ours. A row already delivered or refused sends nothing.
 * A permanent GHL refusal is recorded as the row's `delivery_error`; a transient one is thrown
 * so Temporal retries.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Sql } from '../../db/client';
import type { Tx } from '../../db/tenant';
import type { Channel } from '../../workflows/bots/messages';
import { type MessageType, toActivityFailure } from '../ghl';
import { type GhlAccessSettings, GhlNotConnected, withGhl } from '../integrations/ghl-access';

/** The send-message type of a channel; none for channels GHL's API cannot answer on. */
export const MESSAGE_TYPE_OF_CHANNEL: Partial<Record<Channel, MessageType>> = {
  sms: 'SMS',
  email: 'Email',
  facebook: 'FB',
  instagram: 'IG',
  whatsapp: 'WhatsApp',
  live_chat: 'Live_Chat',
};

export type DeliveryOutcome =
  | { status: 'sent'; replyId: string; ghlMessageId: string | null }
  | { status: 'already_sent'; replyId: string }
  | { status: 'failed'; replyId: string; error: string }
  | { status: 'no_reply' };

/** A message row to send, as locked by the caller, with its contact's GHL id. */
export interface OutgoingRow {
  id: string;
  text: string;
  channel: Channel | null;
  delivered_at: Date | null;
  delivery_error: string | null;
  ghl_contact_id: string | null;
}

export async function recordDeliveryError(tx: Tx, orgId: string, messageId: string, error: string): Promise<void> {
  await tx`update public.conversation_messages set delivery_error = ${error.slice(0, 2000)}
    where organization_id = ${orgId} and id = ${messageId} and delivered_at is null`;
}

export async function sendLockedMessage(deps: { sql: Sql; ghl: GhlAccessSettings }, tx: Tx, orgId: string, row: OutgoingRow): Promise<DeliveryOutcome> {
  if (row.delivered_at) return { status: 'already_sent', replyId: row.id };
  if (row.delivery_error) return { status: 'failed', replyId: row.id, error: row.delivery_error };
  const refuse = async (error: string): Promise<DeliveryOutcome> => {
    await recordDeliveryError(tx, orgId, row.id, error);
    return { status: 'failed', replyId: row.id, error };
  };
  const type = row.channel ? MESSAGE_TYPE_OF_CHANNEL[row.channel] : undefined;
  if (!type) return refuse(`GHL cannot send replies on the ${row.channel ?? 'unknown'} channel`);
  if (!row.ghl_contact_id) return refuse('the contact has no GHL contact id');
  let ghlMessageId: string | null;
  try {
    const sent = await withGhl(deps.sql, deps.ghl, orgId, undefined, ({ client }) =>
      client.conversations.sendMessage({ type, contactId: row.ghl_contact_id!, message: row.text }),
    );
    ghlMessageId = (sent as { messageId?: string }).messageId ?? null;
  } catch (err) {
    const failure = err instanceof GhlNotConnected ? ApplicationFailure.nonRetryable(err.message, 'GhlNotConnected') : toActivityFailure(err);
    if (failure.nonRetryable) return refuse(failure.message);
    throw failure;
  }
  await tx`update public.conversation_messages set delivered_at = now(), delivery_error = null,
      external_message_id = coalesce(external_message_id, ${ghlMessageId})
    where organization_id = ${orgId} and id = ${row.id}`;
  return { status: 'sent', replyId: row.id, ghlMessageId };
}
