/*
 * A GHL message delivery for the organization's bots, started by the GHL event workflow (one per
 * delivery). An inbound message goes to the contact's conversation (update-with-start, run by an
 * activity with the worker's client) and the bot's reply goes back through GHL's send-message
 * API, exactly once per reply whatever the redeliveries: the conversation answers a GHL message
 * id it has seen with the same reply, and the delivery activity sends a reply only while its row
 * is not yet delivered. A message a person wrote in GHL hands the contact's conversations to
 * people (sleep on human reply).
 */
import { ActivityFailure, ApplicationFailure, getExternalWorkflowHandle, log, proxyActivities } from '@temporalio/workflow';
import type { BotChannelActivities, DeliveryOutcome } from '../../activities/bots/channels';
import { handoffSignal } from './messages';

const { botChannelEvent, recordBotDeliveryFailure } = proxyActivities<BotChannelActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 10, maximumInterval: '30 seconds' },
});
// A turn may call the model and GHL tools several times before the update answers.
// It heartbeats: when its worker dies, another attempt starts within seconds, not minutes.
const { sendToBotConversation } = proxyActivities<BotChannelActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { maximumAttempts: 10, maximumInterval: '30 seconds' },
});
const { deliverBotReply } = proxyActivities<BotChannelActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumAttempts: 8, maximumInterval: '1 minute' },
});

export interface BotChannelInput {
  orgId: string;
  webhookId: string;
}

export type BotChannelResult =
  | { kind: 'inbound'; reply: string | null; delivery: DeliveryOutcome | null }
  | { kind: 'human_reply'; handedOff: string[] }
  | { kind: 'ignored'; reason: string };

export const HUMAN_REPLY_REASON = 'human replied in GHL';

export const botChannelWorkflowId = (orgId: string, webhookId: string) => `bot-channel:${orgId}:${webhookId}`;

export async function botChannelWorkflow(input: BotChannelInput): Promise<BotChannelResult> {
  const { orgId } = input;
  const event = await botChannelEvent(input);
  if (event.kind === 'ignored') return event;

  if (event.kind === 'human_reply') {
    const handedOff: string[] = [];
    for (const workflowId of event.conversations) {
      try {
        await getExternalWorkflowHandle(workflowId).signal(handoffSignal, { reason: HUMAN_REPLY_REASON });
        handedOff.push(workflowId);
      } catch (err) {
        // The conversation ended meanwhile: nobody to pause.
        log.info('conversation not running, no handoff', { workflowId, error: String(err) });
      }
    }
    return { kind: 'human_reply', handedOff };
  }

  const result = await sendToBotConversation({ orgId, botId: event.botId, contactId: event.contactId, channel: event.channel, text: event.text, externalMessageId: event.externalMessageId });
  // Handed off to a person, closed, off or only suggesting: the bot stays silent. A message
  // merged into a later one's turn gets its reply delivered with that later message.
  if (result.reply === null || result.merged) return { kind: 'inbound', reply: null, delivery: null };
  let delivery: DeliveryOutcome;
  try {
    delivery = await deliverBotReply({ orgId, userMessageId: result.messageId });
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const cause = err.cause instanceof ApplicationFailure ? err.cause.message : err.message;
    const error = `GHL did not accept the reply after retries: ${cause}`;
    await recordBotDeliveryFailure({ orgId, userMessageId: result.messageId, error });
    delivery = { status: 'failed', replyId: '', error };
  }
  return { kind: 'inbound', reply: result.reply, delivery };
}
