/*
 * Delivering a person's reply (a `human_agent` message written in the handoff queue) to the
 * contact through GHL's send-message API, exactly once: the message row stays locked while it
 * is sent and is marked delivered in the same transaction, so a retried activity or a second
 * workflow for the same message finds it delivered and sends nothing. A permanent GHL refusal
 * is recorded as the row's `delivery_error`; a transient one is thrown so Temporal retries.
 */
import type { Sql } from '../../db/client';
import type { Tx } from '../../db/tenant';
import { asWorker, notFound } from '../db/support';
import type { GhlAccessSettings } from '../integrations/ghl-access';
import { type DeliveryOutcome, type OutgoingRow, recordDeliveryError, sendLockedMessage } from './ghl-send';

export interface HumanReplyRef {
  orgId: string;
  messageId: string;
}

/** The person's message with its contact's GHL id, locked until the transaction ends. */
async function lockedHumanReply(tx: Tx, orgId: string, messageId: string): Promise<OutgoingRow> {
  const [row] = await tx<OutgoingRow[]>`
    select m.id, m.text, m.channel, m.delivered_at, m.delivery_error, c.ghl_contact_id
    from public.conversation_messages m
    join public.conversation_sessions s on s.organization_id = m.organization_id and s.id = m.session_id
    join public.contacts c on c.organization_id = s.organization_id and c.id = s.contact_id
    where m.organization_id = ${orgId} and m.id = ${messageId} and m.role = 'human_agent'
    for update of m`;
  if (!row) throw notFound(`human reply ${messageId}`);
  return row;
}

export function createHumanReplyActivities(deps: { sql: Sql; ghl: GhlAccessSettings }) {
  const { sql } = deps;
  return {
    /** Sends a person's reply through GHL once; a reply already sent (or refused) sends nothing. */
    async deliverHumanReply(input: HumanReplyRef): Promise<DeliveryOutcome> {
      const { orgId } = input;
      return asWorker(sql, orgId, async (tx) => {
        const reply = await lockedHumanReply(tx, orgId, input.messageId);
        return sendLockedMessage(deps, tx, orgId, reply);
      });
    },

    /** Retries exhausted: the reply's delivery error, unless it went out meanwhile. */
    async recordHumanReplyFailure(input: HumanReplyRef & { error: string }): Promise<void> {
      await asWorker(sql, input.orgId, async (tx) => {
        const reply = await lockedHumanReply(tx, input.orgId, input.messageId);
        if (!reply.delivered_at) await recordDeliveryError(tx, input.orgId, reply.id, input.error);
      });
    },
  };
}

export type HumanReplyActivities = ReturnType<typeof createHumanReplyActivities>;
