/*
 * The API's side of bot conversations: a contact's message goes to the conversation workflow of
 * that bot and contact with update-with-start (started when none is running, reached when one
 * is), and the update's result is the bot's reply. Callers (the web chat route, the GHL inbound
 * webhook) check that the bot and contact belong to the organization first.
 */
import { WithStartWorkflowOperation } from '@temporalio/client';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import type { Services } from '../http/route';
import type { conversationWorkflow } from '../../workflows/bots/conversation';
import { type Channel, conversationWorkflowId, type SendMessageResult, sendMessageUpdate } from '../../workflows/bots/messages';
import { WORKFLOW_KINDS } from '../../workflows/shared';

export interface SendBotMessageInput {
  orgId: string;
  botId: string;
  /** Flowline's contact id. */
  contactId: string;
  channel: Channel;
  text: string;
  externalMessageId?: string;
  /** GHL calendar for the booking tools (until bots carry one). */
  calendarId?: string;
  /** Answer at once whatever the bot's mode (the simulator). */
  preview?: boolean;
}

export async function sendBotMessage(services: Pick<Services, 'temporal' | 'taskQueue'>, input: SendBotMessageInput): Promise<SendMessageResult> {
  const { orgId, botId, contactId, channel } = input;
  const workflowId = conversationWorkflowId(orgId, botId, contactId);
  const startWorkflowOperation = new WithStartWorkflowOperation<typeof conversationWorkflow>('conversationWorkflow', {
    workflowId,
    taskQueue: services.taskQueue,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    args: [{ orgId, botId, contactId, channel, ...(input.calendarId ? { calendarId: input.calendarId } : {}) }],
    searchAttributes: { OrganizationId: [orgId], Kind: [WORKFLOW_KINDS.conversation] },
  });
  return services.temporal.workflow.executeUpdateWithStart(sendMessageUpdate, {
    args: [{ text: input.text, channel, ...(input.externalMessageId ? { externalMessageId: input.externalMessageId } : {}), ...(input.preview ? { preview: true } : {}) }],
    startWorkflowOperation,
  });
}
