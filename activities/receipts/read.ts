/*
 * The receipt workflow's model call: the stored file to the vision model, the answer back as
 * a reading. Failures are classified for Temporal's retry policy: a model that is busy or down
 * is retried with backoff; an answer that is not the JSON asked for is retried too, and after
 * the last attempt the workflow hands the raw answer to a person; a file the model cannot be
 * given (missing, a PDF without text) fails at once with its reason.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Sql } from '../../db/client';
import { asWorker, notFound } from '../db/support';
import { ExtractionError, extractReceipt, type ReceiptContentType } from './extract';
import type { ReceiptReading } from './records';
import type { ReceiptStorage } from './storage';

export interface ReceiptModelDeps {
  baseURL: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
}

/** The failure types the workflow tells apart. */
export const READ_FAILURES = { unreadable: 'ReceiptUnreadable', invalidAnswer: 'InvalidModelAnswer', modelUnavailable: 'ModelUnavailable' } as const;

export function createReceiptReadActivities(deps: { sql: Sql; storage: ReceiptStorage; model: ReceiptModelDeps }) {
  return {
    async readReceipt(input: { orgId: string; receiptId: string }): Promise<ReceiptReading> {
      const file = await asWorker(deps.sql, input.orgId, async (tx) => {
        const [row] = await tx<{ storage_key: string; content_type: ReceiptContentType; file_name: string }[]>`
          select storage_key, content_type, file_name from public.opportunity_receipts where organization_id = ${input.orgId} and id = ${input.receiptId}`;
        if (!row) throw notFound(`Receipt ${input.receiptId}`);
        return row;
      });
      const bytes = await deps.storage.getBytes(file.storage_key);
      if (!bytes) throw ApplicationFailure.nonRetryable('The receipt file is missing from storage', READ_FAILURES.unreadable);
      try {
        const read = await extractReceipt({ ...deps.model, signal: Context.current().cancellationSignal }, { contentType: file.content_type, bytes, fileName: file.file_name });
        return { extracted: read.extracted, confidence: read.confidence, problems: read.problems, model: read.model };
      } catch (err) {
        if (!(err instanceof ExtractionError)) throw err;
        if (err.kind === 'permanent') throw ApplicationFailure.nonRetryable(err.message, READ_FAILURES.unreadable);
        if (err.kind === 'invalid_answer') throw ApplicationFailure.create({ message: err.message, type: READ_FAILURES.invalidAnswer, details: [err.rawAnswer ?? ''] });
        throw ApplicationFailure.retryable(err.message, READ_FAILURES.modelUnavailable);
      }
    },
  };
}
