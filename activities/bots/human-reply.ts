/*
 * Delivering a person's reply (a `human_agent` message written in the handoff queue) to the
 * contact through GHL's send-message API, exactly once: the message row stays locked while it
 * is sent and is marked delivered in the same transaction, so a retried activity or a second
 * workflow for the same message finds it delivered and sends nothing. A permanent GHL refusal
 * is recorded as the row's `delivery_error`; a transient one is thrown so Temporal retries.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Sql } from '../../db/client';
import type { Tx } from '../../db/tenant';
import type { Channel } from '../../workflows/bots/messages';
import { asWorker, notFound } from '../db/support';
import { toActivityFailure } from '../ghl';
import { type GhlAccessSettings, GhlNotConnected, withGhl } from '../integrations/ghl-access';
import { type DeliveryOutcome, MESSAGE_TYPE_OF_CHANNEL } from './channels';

interface HumanReplyRow {
  id: string;
  text: string;
  channel: Channel | null;
  delivered_at: Date | null;
  delivery_error: string | null;
  ghl_contact_id: string | null;
}

export interface HumanReplyRef {
  orgId: string;
  messageId: string;
}

/** The person's message with its contact's GHL id, locked until the transaction ends. */
async function lockedHumanReply(tx: Tx, orgId: string, messageId: string): Promise<HumanReplyRow> {
  const [row] = await tx<HumanReplyRow[]>`
    select m.id, m.text, m.channel, m.delivered_at, m.delivery_error, c.ghl_contact_id
    from public.conversation_messages m
    join public.conversation_sessions s on s.organization_id = m.organization_id and s.id = m.session_id
    join public.contacts c on c.organization_id = s.organization_id and c.id = s.contact_id
    where m.organization_id = ${orgId} and m.id = ${messageId} and m.role = 'human_agent'
    for update of m`;
  if (!row) throw notFound(`human reply ${messageId}`);
  return row;
}

async function recordError(tx: Tx, orgId: string, messageId: string, error: string): Promise<void> {
  await tx`update public.conversation_messages set delivery_error = ${error.slice(0, 2000)}
    where organization_id = ${orgId} and id = ${messageId} and delivered_at is null`;
}

export function createHumanReplyActivities(deps: { sql: Sql; ghl: GhlAccessSettings }) {
  const { sql } = deps;
  return {
    /** Sends a person's reply through GHL once; a reply already sent (or refused) sends nothing. */
    async deliverHumanReply(input: HumanReplyRef): Promise<DeliveryOutcome> {
      const { orgId } = input;
      return asWorker(sql, orgId, async (tx) => {
        const reply = await lockedHumanReply(tx, orgId, input.messageId);
        if (reply.delivered_at) return { status: 'already_sent', replyId: reply.id };
        if (reply.delivery_error) return { status: 'failed', replyId: reply.id, error: reply.delivery_error };
        const refuse = async (error: string): Promise<DeliveryOutcome> => {
          await recordError(tx, orgId, reply.id, error);
          return { status: 'failed', replyId: reply.id, error };
        };
        const type = reply.channel ? MESSAGE_TYPE_OF_CHANNEL[reply.channel] : undefined;
        if (!type) return refuse(`GHL cannot send replies on the ${reply.channel ?? 'unknown'} channel`);
        if (!reply.ghl_contact_id) return refuse('the contact has no GHL contact id');
        let ghlMessageId: string | null;
        try {
          const sent = await withGhl(sql, deps.ghl, orgId, undefined, ({ client }) =>
            client.conversations.sendMessage({ type, contactId: reply.ghl_contact_id!, message: reply.text }),
          );
          ghlMessageId = (sent as { messageId?: string }).messageId ?? null;
        } catch (err) {
          const failure = err instanceof GhlNotConnected ? ApplicationFailure.nonRetryable(err.message, 'GhlNotConnected') : toActivityFailure(err);
          if (failure.nonRetryable) return refuse(failure.message);
          throw failure;
        }
        await tx`update public.conversation_messages set delivered_at = now(), delivery_error = null
          where organization_id = ${orgId} and id = ${reply.id}`;
        return { status: 'sent', replyId: reply.id, ghlMessageId };
      });
    },

    /** Retries exhausted: the reply's delivery error, unless it went out meanwhile. */
    async recordHumanReplyFailure(input: HumanReplyRef & { error: string }): Promise<void> {
      await asWorker(sql, input.orgId, async (tx) => {
        const reply = await lockedHumanReply(tx, input.orgId, input.messageId);
        if (!reply.delivered_at) await recordError(tx, input.orgId, reply.id, input.error);
      });
    },
  };
}

export type HumanReplyActivities = ReturnType<typeof createHumanReplyActivities>;
