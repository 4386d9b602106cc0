/*
 * Bots on GHL channels: what a GHL message delivery means for the organization's bots, handing
 * a contact's message to their conversation, and sending the bot's reply back through GHL.
 *
 * - An `InboundMessage` goes to the conversation of the contact with the organization's `auto`
 *   or `suggest` bot that has the message's channel (the first by name; a suggesting bot only
 *   drafts a reply for a person). The activity reaches the
 *   conversation workflow with update-with-start through the worker's own Temporal client
 *   (`Context.current().client`): workflows cannot do update-with-start themselves.
 * - A reply leaves through GHL's send-message API exactly once: the reply row is locked
 *   (`for update`, found by its idempotency key) while it is sent, and marked delivered in the
 *   same transaction; a row already delivered sends nothing. A permanent GHL refusal is recorded
 *   as the row's `delivery_error`; a transient one is thrown so Temporal retries.
 * - An `OutboundMessage` written by a person in GHL (it carries a `userId`) names the open
 *   conversations of that contact whose bot sleeps on a human reply. Our own replies come back as
 *   OutboundMessage too: a reply keeps GHL's messageId (its `external_message_id`) when it is
 *   sent, and an OutboundMessage with the messageId of one of our replies is ignored, whether or
 *   not GHL names a user on it. One without a `userId` is never a person's either.
 */
import { Context } from '@temporalio/activity';
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import type { Sql } from '../../db/client';
import type { Tx } from '../../db/tenant';
import type { conversationWorkflow } from '../../workflows/bots/conversation';
import { type Channel, conversationWorkflowId, MAX_MESSAGE_CHARS, type SendMessageResult, sendMessageUpdate } from '../../workflows/bots/messages';
import { WORKFLOW_KINDS } from '../../workflows/shared';
import { asWorker, notFound } from '../db/support';
import type { GhlAccessSettings } from '../integrations/ghl-access';
import { replyKey } from './conversation';
import { type DeliveryOutcome, type OutgoingRow, recordDeliveryError, sendLockedMessage } from './ghl-send';

/** GHL's `messageType` of a message (lower case, without a `TYPE_` prefix) -> our channel. */
const CHANNEL_OF_MESSAGE_TYPE: Record<string, Channel> = {
  sms: 'sms',
  email: 'email',
  fb: 'facebook',
  facebook: 'facebook',
  ig: 'instagram',
  instagram: 'instagram',
  whatsapp: 'whatsapp',
  live_chat: 'live_chat',
  chat: 'live_chat',
  gmb: 'gmb',
};

export function channelOfMessageType(messageType: unknown): Channel | null {
  if (typeof messageType !== 'string') return null;
  return CHANNEL_OF_MESSAGE_TYPE[messageType.replace(/^TYPE_/i, '').toLowerCase()] ?? null;
}

export type BotChannelEvent =
  | { kind: 'inbound'; botId: string; contactId: string; channel: Channel; text: string; externalMessageId: string }
  | { kind: 'human_reply'; conversations: string[] }
  | { kind: 'ignored'; reason: string };

export interface InboundToConversation {
  orgId: string;
  botId: string;
  contactId: string;
  channel: Channel;
  text: string;
  externalMessageId: string;
}

export { type DeliveryOutcome, MESSAGE_TYPE_OF_CHANNEL } from './ghl-send';

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** The Flowline contact of a GHL contact id; a placeholder row (filled by the next sync) when missing. */
async function contactOf(tx: Tx, orgId: string, ghlContactId: string): Promise<string | null> {
  const find = () => tx<{ id: string; deleted_at: Date | null }[]>`
    select id, deleted_at from public.contacts where organization_id = ${orgId} and ghl_contact_id = ${ghlContactId}`;
  let [c] = await find();
  if (!c) {
    await tx`insert into public.contacts (organization_id, ghl_contact_id) values (${orgId}, ${ghlContactId})
      on conflict (organization_id, ghl_contact_id) do nothing`;
    [c] = await find();
  }
  return c && !c.deleted_at ? c.id : null;
}

/** The reply of the turn started by a contact's message, locked until the transaction ends. */
async function lockedReply(tx: Tx, orgId: string, userMessageId: string): Promise<OutgoingRow | null> {
  const [user] = await tx<{ idempotency_key: string | null }[]>`
    select idempotency_key from public.conversation_messages where organization_id = ${orgId} and id = ${userMessageId} and role = 'user'`;
  if (!user) throw notFound(`conversation message ${userMessageId}`);
  if (!user.idempotency_key) return null;
  const [reply] = await tx<OutgoingRow[]>`
    select m.id, m.text, m.channel, m.delivered_at, m.delivery_error, c.ghl_contact_id
    from public.conversation_messages m
    join public.conversation_sessions s on s.organization_id = m.organization_id and s.id = m.session_id
    join public.contacts c on c.organization_id = s.organization_id and c.id = s.contact_id
    where m.organization_id = ${orgId} and m.idempotency_key = ${replyKey(user.idempotency_key)} and m.role = 'assistant'
    for update of m`;
  return reply ?? null;
}

/** Whether a GHL message id is that of a reply we sent. */
async function isOurReply(tx: Tx, orgId: string, ghlMessageId: string): Promise<boolean> {
  const [row] = await tx`select 1 from public.conversation_messages
    where organization_id = ${orgId} and external_message_id = ${ghlMessageId} and role = 'assistant'`;
  return Boolean(row);
}

/** Waits until no reply to this GHL contact is being sent (each statement sees what committed before it). */
async function awaitRepliesInFlight(tx: Tx, orgId: string, ghlContactId: string): Promise<void> {
  await tx`
    select m.id from public.conversation_messages m
    join public.conversation_sessions s on s.organization_id = m.organization_id and s.id = m.session_id
    join public.contacts c on c.organization_id = s.organization_id and c.id = s.contact_id
    where m.organization_id = ${orgId} and c.ghl_contact_id = ${ghlContactId} and m.role = 'assistant'
      and m.delivered_at is null and m.delivery_error is null and m.channel is distinct from 'web'
    for update of m`;
}

/** How often a running hand-off to a conversation tells Temporal its worker is alive. */
const HEARTBEAT_MS = 5_000;

/** The message to the contact's conversation: update-with-start, started when none is running. */
function updateWithStart(client: Client, taskQueue: string, input: InboundToConversation): Promise<SendMessageResult> {
  const { orgId, botId, contactId, channel } = input;
  const startWorkflowOperation = new WithStartWorkflowOperation<typeof conversationWorkflow>('conversationWorkflow', {
    workflowId: conversationWorkflowId(orgId, botId, contactId),
    taskQueue,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    args: [{ orgId, botId, contactId, channel }],
    searchAttributes: { OrganizationId: [orgId], Kind: [WORKFLOW_KINDS.conversation] },
  });
  return client.workflow.executeUpdateWithStart(sendMessageUpdate, {
    args: [{ text: input.text, channel, externalMessageId: input.externalMessageId }],
    startWorkflowOperation,
  });
}

export function createBotChannelActivities(deps: { sql: Sql; ghl: GhlAccessSettings }) {
  const { sql } = deps;


  return {
    /** What a GHL message delivery means for the organization's bots. */
    async botChannelEvent(input: { orgId: string; webhookId: string }): Promise<BotChannelEvent> {
      return asWorker(sql, input.orgId, async (tx) => {
        const [delivery] = await tx<{ type: string; body: { data?: Record<string, unknown> } }[]>`
          select type, body from public.ghl_webhook_events where organization_id = ${input.orgId} and webhook_id = ${input.webhookId}`;
        if (!delivery) throw notFound(`GHL delivery ${input.webhookId}`);
        const data = delivery.body.data ?? {};
        const ghlContactId = str(data.contactId);
        if (!ghlContactId) return { kind: 'ignored', reason: 'the message names no contact' };

        if (delivery.type === 'OutboundMessage') {
          const messageId = str(data.messageId);
          if (messageId && (await isOurReply(tx, input.orgId, messageId))) return { kind: 'ignored', reason: 'our own reply' };
          if (!str(data.userId)) return { kind: 'ignored', reason: 'not written by a person in GHL' };
          // GHL may echo a reply before its sending transaction has stored GHL's id: wait for
          // the contact's replies being sent (their rows are locked while they are), then look again.
          if (messageId) {
            await awaitRepliesInFlight(tx, input.orgId, ghlContactId);
            if (await isOurReply(tx, input.orgId, messageId)) return { kind: 'ignored', reason: 'our own reply' };
          }
          const rows = await tx<{ bot_id: string; contact_id: string }[]>`
            select s.bot_id, s.contact_id from public.conversation_sessions s
            join public.contacts c on c.organization_id = s.organization_id and c.id = s.contact_id
            join public.bots b on b.organization_id = s.organization_id and b.id = s.bot_id
            where s.organization_id = ${input.orgId} and c.ghl_contact_id = ${ghlContactId} and s.status = 'active'
              and b.sleep_on_human_reply
            order by s.created_at, s.id`;
          return { kind: 'human_reply', conversations: rows.map((r) => conversationWorkflowId(input.orgId, r.bot_id, r.contact_id)) };
        }
        if (delivery.type !== 'InboundMessage') return { kind: 'ignored', reason: `not a message event: ${delivery.type}` };

        const channel = channelOfMessageType(data.messageType);
        if (!channel) return { kind: 'ignored', reason: `no bot channel for message type ${String(data.messageType)}` };
        const text = str(data.body);
        if (!text) return { kind: 'ignored', reason: 'the message has no text' };
        const [bot] = await tx<{ id: string }[]>`
          select id from public.bots
          where organization_id = ${input.orgId} and deleted_at is null and mode in ('auto', 'suggest') and ${channel} = any (channels)
          order by name, id limit 1`;
        if (!bot) return { kind: 'ignored', reason: `no bot answers or suggests on ${channel}` };
        const contactId = await contactOf(tx, input.orgId, ghlContactId);
        if (!contactId) return { kind: 'ignored', reason: 'the contact was deleted' };
        return {
          kind: 'inbound',
          botId: bot.id,
          contactId,
          channel,
          text: text.slice(0, MAX_MESSAGE_CHARS),
          // Without GHL's message id, the delivery's id keeps a redelivery of it from a second turn.
          externalMessageId: str(data.messageId) ?? `ghl-webhook:${input.webhookId}`,
        };
      });
    },

    /**
     * The contact's message to their conversation with the bot (update-with-start through the
     * worker's client). A redelivery of the same GHL message gets the first reply back.
     */
    async sendToBotConversation(input: InboundToConversation): Promise<SendMessageResult> {
      const context = Context.current();
      const { client, info } = context;
      // A turn can take minutes. Beating while it runs lets a heartbeat timeout (when the workflow
      // sets one) notice a dead worker at once instead of after the whole start-to-close timeout;
      // the retry is safe: the conversation answers a GHL message id it has seen with its reply.
      const beat = setInterval(() => context.heartbeat(), HEARTBEAT_MS);
      try {
        return await updateWithStart(client, info.taskQueue, input);
      } finally {
        clearInterval(beat);
      }
    },

    /**
     * Sends the reply to a contact's message through GHL, once: the row stays locked while it is
     * sent and is marked delivered in the same transaction.
     */
    async deliverBotReply(input: { orgId: string; userMessageId: string }): Promise<DeliveryOutcome> {
      const { orgId } = input;
      return asWorker(sql, orgId, async (tx) => {
        const reply = await lockedReply(tx, orgId, input.userMessageId);
        if (!reply) return { status: 'no_reply' };
        return sendLockedMessage(deps, tx, orgId, reply);
      });
    },

    /** Retries exhausted: the reply's delivery error, unless it went out meanwhile. */
    async recordBotDeliveryFailure(input: { orgId: string; userMessageId: string; error: string }): Promise<void> {
      await asWorker(sql, input.orgId, async (tx) => {
        const reply = await lockedReply(tx, input.orgId, input.userMessageId);
        if (reply && !reply.delivered_at) await recordDeliveryError(tx, input.orgId, reply.id, input.error);
      });
    },
  };
}

export type BotChannelActivities = ReturnType<typeof createBotChannelActivities>;
