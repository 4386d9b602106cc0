/*
 * The API's side of the receipt workflow: starting it once per receipt, and handing it a
 * person's decision through its `decide` update (answered once recorded).
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import { WORKFLOW_KINDS } from '../../workflows/shared';
import { decideReceiptUpdate, receiptWorkflowId, type ReceiptDecision } from '../../workflows/receipts/messages';
import { HttpError } from '../http/errors';
import type { Services } from '../http/route';

type TemporalServices = Pick<Services, 'temporal' | 'taskQueue' | 'receipts'>;

/** Starts the receipt's workflow; a receipt already started keeps its run (read once, ever). */
export async function startReceipt(services: TemporalServices, orgId: string, receiptId: string): Promise<string> {
  const workflowId = receiptWorkflowId(orgId, receiptId);
  try {
    await services.temporal.workflow.start('receiptWorkflow', {
      taskQueue: services.taskQueue,
      workflowId,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      args: [{ orgId, receiptId, ...(services.receipts.modelRetry ? { retry: services.receipts.modelRetry } : {}) }],
      searchAttributes: { OrganizationId: [orgId], Kind: [WORKFLOW_KINDS.receipt] },
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  return workflowId;
}

/** A decision to the waiting workflow; 409 when it is not waiting for this one. */
export async function decideReceipt(services: TemporalServices, orgId: string, receiptId: string, decision: ReceiptDecision): Promise<void> {
  try {
    await services.temporal.workflow.getHandle(receiptWorkflowId(orgId, receiptId)).executeUpdate(decideReceiptUpdate, { args: [decision] });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw new HttpError(409, (err.cause as Error | undefined)?.message ?? err.message);
    if (err instanceof WorkflowNotFoundError) throw new HttpError(409, 'This receipt is not waiting for a decision (its workflow has ended)');
    throw err;
  }
}

/** Deleting a receipt ends its wait; a finished workflow has nothing to cancel. */
export async function withdrawReceipt(services: TemporalServices, orgId: string, receiptId: string): Promise<void> {
  await services.temporal.workflow
    .getHandle(receiptWorkflowId(orgId, receiptId))
    .cancel()
    .catch((err: unknown) => {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    });
}
