import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  isCancellation,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  uuid4,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import type { ReceiptActivities } from '../../activities/receipts';
import type { ReceiptReading } from '../../activities/receipts/records';
import { commissionWorkflow, saleCorrectionWorkflow } from '../commissions/commission';
import { decideReceiptUpdate, receiptPhaseQuery, type ReceiptDecision, type ReceiptInput, type ReceiptOutcome, type ReceiptPhase } from './messages';

const db = proxyActivities<ReceiptActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 20, maximumInterval: '1 minute' },
});

// Failure types thrown by activities/receipts/read.ts (kept as strings: workflow code imports no activity code).
const UNREADABLE = 'ReceiptUnreadable';
const INVALID_ANSWER = 'InvalidModelAnswer';

function modelActivities(input: ReceiptInput) {
  const retry = input.retry ?? { initialIntervalMs: 2_000, maximumAttempts: 5 };
  return proxyActivities<ReceiptActivities>({
    // A vision model may take a while on a large image; each attempt is bounded.
    startToCloseTimeout: '3 minutes',
    retry: { initialInterval: retry.initialIntervalMs, backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: retry.maximumAttempts, nonRetryableErrorTypes: [UNREADABLE] },
  });
}

type Read = { kind: 'read'; reading: ReceiptReading } | { kind: 'invalid'; raw: string; message: string } | { kind: 'failed'; reason: string };

/** One reading of the receipt, its failures sorted into what a person can act on. */
async function readOnce(input: ReceiptInput): Promise<Read> {
  try {
    return { kind: 'read', reading: await modelActivities(input).readReceipt({ orgId: input.orgId, receiptId: input.receiptId }) };
  } catch (err) {
    if (isCancellation(err)) throw err;
    const cause = err instanceof ActivityFailure ? err.cause : err;
    if (cause instanceof ApplicationFailure && cause.type === INVALID_ANSWER) {
      return { kind: 'invalid', raw: typeof cause.details?.[0] === 'string' ? cause.details[0] : '', message: cause.message };
    }
    const message = cause instanceof Error ? cause.message : String(cause);
    return { kind: 'failed', reason: cause instanceof ApplicationFailure && cause.type === UNREADABLE ? message : `The model could not read the receipt: ${message}` };
  }
}

const describe = (phase: ReceiptPhase) => phase.replace('_', ' ');

async function startOnce(start: () => Promise<unknown>): Promise<void> {
  try {
    await start();
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/**
 * One receipt, read once: the workflow id is `receipt:<orgId>:<receiptId>`. Reads the stored
 * file with the vision model (retrying a busy model with backoff), keeps the reading, and
 * either confirms it (the organization trusts confident readings whose line items add up) or
 * waits for a person's `decide` update: confirm with edits, reject, or, after a failure, read
 * again. Confirming records or corrects the opportunity's sale and starts its commission.
 * Deleting the receipt cancels the workflow.
 */
export async function receiptWorkflow(input: ReceiptInput): Promise<ReceiptOutcome> {
  const outcome = await runReceipt(input);
  // A decision's update is answered before the run ends, never cut off by it.
  await condition(allHandlersFinished);
  return outcome;
}

async function runReceipt(input: ReceiptInput): Promise<ReceiptOutcome> {
  const { orgId, receiptId } = input;
  let phase: ReceiptPhase = 'reading';
  let decision: ReceiptDecision | null = null;
  setHandler(receiptPhaseQuery, () => phase);
  setHandler(
    decideReceiptUpdate,
    async (d) => {
      // A decision sent as the reading is being recorded waits for it (the database may say
      // needs_review a moment before this run does); then it must fit where the receipt is.
      await condition(() => phase !== 'reading' && phase !== 'confirming');
      const fits = d.kind === 'retry' ? phase === 'failed' : phase === 'needs_review';
      if (!fits || decision !== null) {
        throw ApplicationFailure.nonRetryable(decision !== null ? 'Another decision on this receipt is being recorded' : `The receipt is ${describe(phase)}: ${d.kind === 'retry' ? 'only a failed one is read again' : 'it is not waiting for review'}`, 'NotAwaited');
      }
      decision = d;
      // Answered once the main loop has recorded it (the phase then says where it went).
      await condition(() => decision === null);
      return { phase };
    },
    {
      validator: (d) => {
        if (phase === 'confirmed' || phase === 'rejected' || phase === 'withdrawn') throw new Error(`The receipt is ${describe(phase)}`);
        if (d.kind === 'retry' && phase === 'needs_review') throw new Error('The receipt was read: confirm or reject it');
      },
    },
  );

  try {
    const begun = await db.beginReceiptReading({ orgId, receiptId });
    if (begun.deleted) return { status: 'withdrawn', saleId: null };
    if (begun.status === 'confirmed' || begun.status === 'rejected') return { status: begun.status, saleId: null };
    let needsRead = begun.status === 'processing';
    for (;;) {
      if (needsRead) {
        phase = 'reading';
        const read = await readOnce(input);
        if (read.kind === 'read') {
          const recorded = await db.recordReceiptReading({ orgId, receiptId, reading: read.reading });
          if (recorded.autoConfirm) return await confirm({ kind: 'confirm', userId: '', edits: null, createSale: recorded.createSales }, true);
          phase = 'needs_review';
        } else if (read.kind === 'invalid') {
          await db.recordUnreadableAnswer({ orgId, receiptId, rawAnswer: read.raw, message: read.message });
          phase = 'needs_review';
        } else {
          await db.recordReceiptFailure({ orgId, receiptId, reason: read.reason });
          phase = 'failed';
        }
      } else {
        // Restarted on a receipt already read (its decision is all that is left).
        phase = begun.status === 'failed' ? 'failed' : 'needs_review';
      }
      await condition(() => decision !== null);
      const d = decision!;
      if (d.kind === 'retry') {
        await db.beginReceiptReading({ orgId, receiptId });
        needsRead = true;
        decision = null;
        continue;
      }
      if (d.kind === 'reject') {
        await db.rejectReceipt({ orgId, receiptId, userId: d.userId, reason: d.reason });
        phase = 'rejected';
        decision = null;
        return { status: 'rejected', saleId: null };
      }
      const outcome = await confirm(d, false);
      decision = null;
      return outcome;
    }
  } catch (err) {
    if (isCancellation(err)) {
      phase = 'withdrawn';
      return { status: 'withdrawn', saleId: null };
    }
    throw err;
  }

  async function confirm(d: Extract<ReceiptDecision, { kind: 'confirm' }>, auto: boolean): Promise<ReceiptOutcome> {
    phase = 'confirming';
    const outcome = await db.confirmReceipt({
      orgId,
      receiptId,
      userId: auto ? null : d.userId,
      edits: d.edits,
      createSale: d.createSale,
      correctionWorkflowId: `commission-correction:${orgId}:receipt:${receiptId}:${uuid4()}`,
    });
    const common = { parentClosePolicy: ParentClosePolicy.ABANDON, workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE, searchAttributes: { OrganizationId: [orgId], Kind: ['commission'] } };
    if (outcome.commission) {
      const { sale, workflowId } = outcome.commission;
      await startOnce(() => startChild(commissionWorkflow, { ...common, workflowId, args: [{ orgId, sale }] }));
    }
    if (outcome.correction) {
      const { transactionId, workflowId } = outcome.correction;
      await startOnce(() => startChild(saleCorrectionWorkflow, { ...common, workflowId, args: [{ orgId, transactionId }] }));
    }
    phase = 'confirmed';
    return { status: 'confirmed', saleId: outcome.saleId };
  }
}
