/*
 * One person's reply to a handed-off conversation, sent to the contact through GHL
 * (`human-reply:<orgId>:<messageId>`, started by the API once the message is stored). A workflow
 * of its own rather than a signal to the conversation: the bot is silent while a person has
 * the conversation, so the reply has no turn to wait for, and its id (the message's) makes a
 * second start for the same message a no-op while Temporal retries GHL's transient failures.
 */
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { DeliveryOutcome } from '../../activities/bots/channels';
import type { HumanReplyActivities, HumanReplyRef } from '../../activities/bots/human-reply';

const { deliverHumanReply } = proxyActivities<HumanReplyActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumAttempts: 8, maximumInterval: '1 minute' },
});
const { recordHumanReplyFailure } = proxyActivities<HumanReplyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 10, maximumInterval: '30 seconds' },
});

export const humanReplyWorkflowId = (orgId: string, messageId: string) => `human-reply:${orgId}:${messageId}`;

export async function humanReplyWorkflow(input: HumanReplyRef): Promise<DeliveryOutcome> {
  try {
    return await deliverHumanReply(input);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const cause = err.cause instanceof ApplicationFailure ? err.cause.message : err.message;
    const error = `GHL did not accept the reply after retries: ${cause}`;
    await recordHumanReplyFailure({ ...input, error });
    return { status: 'failed', replyId: input.messageId, error };
  }
}
