/*
 * The API's side of handoffs: a person takes a conversation from the bot (handoff signal) or
 * gives it back (resume signal), then waits until the conversation workflow has moved the
 * session, so the caller's next request (a reply) sees the new status. Signal-with-start: a
 * session still open in the database whose workflow is gone (a test fixture, a terminated run)
 * gets its workflow back, which reopens the same session before the signal is handled.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import type { Services } from '../http/route';
import { HttpError } from '../http/errors';
import type { conversationWorkflow } from '../../workflows/bots/conversation';
import { type Channel, conversationWorkflowId, type ConversationStatus, handoffSignal, resumeSignal, stateQuery } from '../../workflows/bots/messages';
import { humanReplyWorkflow, humanReplyWorkflowId } from '../../workflows/handoffs/human-reply';
import { WORKFLOW_KINDS } from '../../workflows/shared';

export interface SessionRef {
  orgId: string;
  botId: string;
  contactId: string;
  channel: Channel;
  /** The session's contact messages so far: a restarted workflow numbers its turns after them. */
  turns: number;
}

/** How long a take-over or hand-back waits for the conversation to confirm the move. */
const CONFIRM_MS = 20_000;
const POLL_MS = 150;
export const TAKE_OVER_REASON = 'taken over by a person';

type Move = 'handed_off' | 'active';

export async function moveConversation(services: Pick<Services, 'temporal' | 'taskQueue'>, s: SessionRef, to: Move): Promise<ConversationStatus> {
  const workflowId = conversationWorkflowId(s.orgId, s.botId, s.contactId);
  const common = {
    workflowId,
    taskQueue: services.taskQueue,
    args: [{ orgId: s.orgId, botId: s.botId, contactId: s.contactId, channel: s.channel, turns: s.turns }] as Parameters<typeof conversationWorkflow>,
    searchAttributes: { OrganizationId: [s.orgId], Kind: [WORKFLOW_KINDS.conversation] },
  };
  if (to === 'handed_off') await services.temporal.workflow.signalWithStart<typeof conversationWorkflow, [{ reason?: string }?]>('conversationWorkflow', { ...common, signal: handoffSignal, signalArgs: [{ reason: TAKE_OVER_REASON }] });
  else await services.temporal.workflow.signalWithStart<typeof conversationWorkflow, []>('conversationWorkflow', { ...common, signal: resumeSignal, signalArgs: [] });
  // Queried by id, not by the signalled run: the conversation may continue as new meanwhile.
  const handle = services.temporal.workflow.getHandle(workflowId);
  // Signals are handled in turn with the conversation's messages: wait until this one was.
  const deadline = Date.now() + CONFIRM_MS;
  for (;;) {
    const state = await handle.query(stateQuery);
    // A run just started reports its initial status until it has opened the session.
    const opened = state.sessionId !== null;
    if (opened && (state.status === to || state.status === 'closed')) return state.status;
    if (Date.now() > deadline) throw new HttpError(503, 'The conversation has not confirmed the change yet: try again in a moment', undefined, { 'Retry-After': '2' });
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Starts the delivery of a person's reply through GHL; a second start for the same message is a no-op. */
export async function startHumanReplyDelivery(services: Pick<Services, 'temporal' | 'taskQueue'>, orgId: string, messageId: string): Promise<void> {
  try {
    await services.temporal.workflow.start(humanReplyWorkflow, {
      workflowId: humanReplyWorkflowId(orgId, messageId),
      taskQueue: services.taskQueue,
      args: [{ orgId, messageId }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      searchAttributes: { OrganizationId: [orgId], Kind: [WORKFLOW_KINDS.conversation] },
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
