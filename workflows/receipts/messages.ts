// Names and shapes shared by the receipt workflow and the API (which sends it decisions and
// reads its state). Free of workflow-runtime imports so the API can import it too.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ExtractedReceipt } from '../../receipts/extraction';

export interface ReceiptInput {
  orgId: string;
  receiptId: string;
  /** Tests shorten the model retries; production keeps the defaults. */
  retry?: { initialIntervalMs: number; maximumAttempts: number };
}

/** A person's decision on a receipt waiting for review (or a failed one to read again). */
export type ReceiptDecision =
  | { kind: 'confirm'; userId: string; edits: Partial<ExtractedReceipt> | null; createSale: boolean }
  | { kind: 'reject'; userId: string; reason: string }
  | { kind: 'retry'; userId: string };

export type ReceiptPhase = 'reading' | 'needs_review' | 'failed' | 'confirming' | 'confirmed' | 'rejected' | 'withdrawn';

export interface ReceiptOutcome {
  status: 'confirmed' | 'rejected' | 'withdrawn';
  saleId: string | null;
}

export const receiptWorkflowId = (orgId: string, receiptId: string) => `receipt:${orgId}:${receiptId}`;

/** Confirm (with edits), reject or retry: answered once the decision is recorded. */
export const decideReceiptUpdate = defineUpdate<{ phase: ReceiptPhase }, [ReceiptDecision]>('decide');
export const receiptPhaseQuery = defineQuery<ReceiptPhase>('phase');
