import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, patched, proxyActivities, startChild, uuid4, WorkflowIdReusePolicy } from '@temporalio/workflow';
import type { CommissionActivities } from '../../activities/commissions';
import type { GhlEventActivities } from '../../activities/integrations/ghl-events';
import { botChannelWorkflow, botChannelWorkflowId } from '../bots/channels';
import { commissionWorkflow } from '../commissions/commission';
import { commissionWorkflowId, refundWorkflowId } from '../commissions/messages';
import { saleRefundWorkflow } from '../commissions/refund';
import { flowInterpreterWorkflow } from '../flow/interpreter';
import { WORKFLOW_KINDS } from '../shared';

const { applyGhlEvent, startGhlEventExecution } = proxyActivities<GhlEventActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 20, maximumInterval: '1 minute' },
});

const { paymentOfGhlDelivery } = proxyActivities<CommissionActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 20, maximumInterval: '1 minute' },
});

// Deliveries that may report a payment (platform event names).
const PAYMENT_EVENTS = new Set(['ghl.InvoicePaid', 'ghl.InvoicePartiallyPaid', 'ghl.OrderStatusUpdate', 'ghl.WorkflowWebhook']);

/** Starts a child once ever per id; a second delivery of the same payment finds it taken. */
async function startOnce(start: () => Promise<unknown>): Promise<void> {
  try {
    await start();
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** A payment starts its commission workflow; a refund, its clawbacks. Both keyed by the payment. */
async function commissionOf(input: GhlEventInput): Promise<string | null> {
  const payment = await paymentOfGhlDelivery(input);
  const common = { parentClosePolicy: ParentClosePolicy.ABANDON, workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE };
  if (payment.kind === 'sale') {
    const workflowId = commissionWorkflowId(input.orgId, payment.sale);
    await startOnce(() => startChild(commissionWorkflow, { ...common, workflowId, args: [{ orgId: input.orgId, sale: payment.sale }], searchAttributes: { OrganizationId: [input.orgId], Kind: ['commission'] } }));
    return workflowId;
  }
  if (payment.kind === 'refund') {
    const workflowId = refundWorkflowId(input.orgId, `${payment.source}:${payment.externalId}`, payment.refundExternalId);
    const refund = { orgId: input.orgId, source: payment.source, externalId: payment.externalId, refundExternalId: payment.refundExternalId, amountMinor: payment.amountMinor, reason: 'refunded in GoHighLevel' };
    await startOnce(() => startChild(saleRefundWorkflow, { ...common, workflowId, args: [refund], searchAttributes: { OrganizationId: [input.orgId], Kind: ['commission'] } }));
    return workflowId;
  }
  return null;
}

// Message deliveries the organization's bots answer (inbound) or pause on (a person's reply).
const BOT_MESSAGE_EVENTS = new Set(['ghl.InboundMessage', 'ghl.OutboundMessage']);

/** A message delivery's bot work runs as its own child (it waits for a whole bot turn). */
async function botChannelOf(input: GhlEventInput): Promise<string> {
  const workflowId = botChannelWorkflowId(input.orgId, input.webhookId);
  await startOnce(() =>
    startChild(botChannelWorkflow, {
      workflowId,
      args: [{ orgId: input.orgId, webhookId: input.webhookId }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      searchAttributes: { OrganizationId: [input.orgId], Kind: [WORKFLOW_KINDS.conversation] },
    }),
  );
  return workflowId;
}

export interface GhlEventInput {
  orgId: string;
  webhookId: string;
}

export const ghlEventWorkflowId = (orgId: string, webhookId: string) => `ghl-event:${orgId}:${webhookId}`;

/**
 * One GHL webhook delivery, processed once: its workflow id is keyed by the delivery's
 * webhookId, so a redelivery cannot start a second one. It applies the event to our copy of
 * GHL's data (contacts), then starts every published flow whose trigger.event names it, each as
 * an independent run. The event body stays in the database: only ids cross this history.
 */
export async function ghlEventWorkflow(input: GhlEventInput): Promise<{ event: string | null; executions: string[]; commission?: string | null; bot?: string }> {
  const applied = await applyGhlEvent(input);
  const commission = applied.event && PAYMENT_EVENTS.has(applied.event) && patched('commission-ingest') ? await commissionOf(input) : undefined;
  const bot = applied.event && BOT_MESSAGE_EVENTS.has(applied.event) && patched('bot-channels') ? await botChannelOf(input) : undefined;
  const executions: string[] = [];
  for (const workflowId of applied.subscribers) {
    // uuid4() is replay-safe: a replay asks for the same execution ids.
    const run = await startGhlEventExecution({ ...input, workflowId, executionId: uuid4() });
    if (!run) continue;
    await startChild(flowInterpreterWorkflow, {
      workflowId: `flow:${run.executionId}`,
      args: [run],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      searchAttributes: {
        OrganizationId: [run.orgId],
        FlowId: [run.workflowId],
        FlowVersion: [String(run.version)],
        Kind: [WORKFLOW_KINDS.flow],
      },
    });
    executions.push(run.executionId);
  }
  return { event: applied.event, executions, ...(commission !== undefined ? { commission } : {}), ...(bot !== undefined ? { bot } : {}) };
}
