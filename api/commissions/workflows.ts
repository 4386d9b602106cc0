/*
 * The API's side of the commission workflows: starting one per payment, deciding through its
 * `decide` update (so the answer is the outcome), telling it a sale was assigned, recording
 * refunds and running payout batches. Workflow failures become HTTP problems here.
 */
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { decideInTransaction } from '../../activities/commissions/calculations';
import type { SaleInput } from '../../activities/commissions/ghl-payments';
import type { RefundInput, RefundOutcome } from '../../activities/commissions/refunds';
import type { DraftedPayout } from '../../activities/commissions/payouts';
import { currentPeriod, lastCompletePeriod, type PayoutPeriod } from '../../commissions';
import type { Tx } from '../../db/tenant';
import { assignedSignal, commissionWorkflowId, decideUpdate, payoutWorkflowId, refundWorkflowId } from '../../workflows/commissions/messages';
import { WORKFLOW_KINDS } from '../../workflows/shared';
import { fromDatabaseError, HttpError } from '../http/errors';
import type { Services } from '../http/route';
import { localDate } from './local-date';
import type { StoredSettings } from './views';

type TemporalServices = Pick<Services, 'temporal' | 'taskQueue'>;

const searchAttributes = (orgId: string, kind: string) => ({ OrganizationId: [orgId], Kind: [kind] });

/** Starts the payment's commission workflow, unless one ever ran for it (the id is the payment). */
export async function startCommission(services: TemporalServices, orgId: string, sale: SaleInput): Promise<string> {
  const workflowId = commissionWorkflowId(orgId, sale);
  try {
    await services.temporal.workflow.start('commissionWorkflow', {
      taskQueue: services.taskQueue,
      workflowId,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      args: [{ orgId, sale }],
      searchAttributes: searchAttributes(orgId, WORKFLOW_KINDS.commission),
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  return workflowId;
}

/** Starts the re-pricing of a sale whose amount changed (its commissions then wait for new decisions). */
export async function startCorrection(services: TemporalServices, orgId: string, transactionId: string, workflowId: string): Promise<void> {
  await services.temporal.workflow.start('saleCorrectionWorkflow', {
    taskQueue: services.taskQueue,
    workflowId,
    args: [{ orgId, transactionId }],
    searchAttributes: searchAttributes(orgId, WORKFLOW_KINDS.commission),
  });
}

/** The innermost ApplicationFailure of a workflow or activity failure chain. */
function applicationCause(err: unknown): ApplicationFailure | undefined {
  let current: unknown = err;
  let found: ApplicationFailure | undefined;
  for (let depth = 0; current && depth < 10; depth += 1) {
    if (current instanceof ApplicationFailure) found = current;
    current = (current as { cause?: unknown }).cause;
  }
  return found;
}

/** A refused decision or refund as the HTTP problem a person can act on. */
export function problemOf(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) return err;
  const db = fromDatabaseError(err);
  if (db) return db;
  const app = applicationCause(err);
  if (!app) return undefined;
  const sqlstate = (app.details?.[0] as { sqlstate?: string } | undefined)?.sqlstate;
  if (sqlstate) return fromDatabaseError({ code: sqlstate, message: app.message, severity: 'ERROR' });
  switch (app.type) {
    case 'AlreadyDecided':
      return new HttpError(409, app.message);
    case 'Forbidden':
      return new HttpError(403, app.message);
    case 'NotFound':
      return new HttpError(404, app.message);
    case 'RefundTooLarge':
      return new HttpError(422, app.message, [{ path: 'amountMinor', message: app.message }]);
    default:
      return undefined;
  }
}

/**
 * Decides one calculation as this user. Through the sale's workflow when it is waiting (its
 * update answers with the outcome and ends the wait and the reminders); directly, with the
 * user's claims, when no workflow waits (a clawback, or a sale whose workflow has finished).
 */
export async function decideCommission(
  services: TemporalServices,
  asUser: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>,
  input: { orgId: string; calculationId: string; workflowId: string | null; decision: 'approve' | 'reject'; userId: string; comment: string | null },
): Promise<void> {
  try {
    if (input.workflowId) {
      try {
        await services.temporal.workflow.getHandle(input.workflowId).executeUpdate(decideUpdate, {
          args: [{ calculationId: input.calculationId, decision: input.decision, userId: input.userId, comment: input.comment }],
        });
        return;
      } catch (err) {
        // Not waiting for this one (finished, or the row is a clawback): decide it directly.
        const app = applicationCause(err);
        const rejectedByValidator = err instanceof WorkflowUpdateFailedError && app && !app.type?.match(/^(AlreadyDecided|Forbidden|NotFound|DatabaseRefused)$/);
        if (!(err instanceof WorkflowNotFoundError) && !rejectedByValidator) throw err;
      }
    }
    await asUser((tx) => decideInTransaction(tx, input.orgId, input.calculationId, input.decision, input.comment));
  } catch (err) {
    throw problemOf(err) ?? err;
  }
}

/** Tells a waiting workflow its unattributed sale now has a team member (nothing waits: nothing to do). */
export async function notifyAssigned(services: TemporalServices, workflowId: string | null): Promise<void> {
  if (!workflowId) return;
  try {
    await services.temporal.workflow.getHandle(workflowId).signal(assignedSignal);
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}

/** Records a refund through its own workflow (one per sale and refund id) and answers the outcome. */
export async function recordRefund(services: TemporalServices, input: RefundInput & { transactionId: string }): Promise<RefundOutcome> {
  try {
    return await services.temporal.workflow.execute('saleRefundWorkflow', {
      taskQueue: services.taskQueue,
      workflowId: refundWorkflowId(input.orgId, input.transactionId, input.refundExternalId),
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      args: [input],
      searchAttributes: searchAttributes(input.orgId, WORKFLOW_KINDS.commission),
    });
  } catch (err) {
    throw problemOf(err) ?? err;
  }
}

/** The period a "run now" drafts: the one under way, or the last complete one, in the organization's timezone. */
export function payoutPeriodOf(settings: StoredSettings, which: 'current' | 'previous', now: Date): PayoutPeriod {
  const today = localDate(now, settings.timezone);
  return (which === 'current' ? currentPeriod : lastCompletePeriod)(settings.payoutFrequency, settings.payoutAnchor, today);
}

/** Runs (or joins a run of) the period's payout batch and answers the period's payouts. */
export async function runPayoutBatch(services: TemporalServices, orgId: string, period: PayoutPeriod): Promise<{ workflowId: string; drafted: DraftedPayout[] }> {
  const workflowId = payoutWorkflowId(orgId, period);
  const drafted = await services.temporal.workflow.execute('payoutBatchWorkflow', {
    taskQueue: services.taskQueue,
    workflowId,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    args: [{ orgId, ...period }],
    searchAttributes: searchAttributes(orgId, WORKFLOW_KINDS.payout),
  });
  return { workflowId, drafted: drafted as DraftedPayout[] };
}
