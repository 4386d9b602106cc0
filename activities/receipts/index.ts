import type { Sql } from '../../db/client';
import { createReceiptReadActivities, type ReceiptModelDeps } from './read';
import { createReceiptRecordActivities } from './records';
import type { ReceiptStorage } from './storage';

/** Receipts: reading a stored file with the model, and recording readings and decisions. */
export function createReceiptActivities(deps: { sql: Sql; storage: ReceiptStorage; model: ReceiptModelDeps }) {
  return { ...createReceiptReadActivities(deps), ...createReceiptRecordActivities(deps) };
}

export type ReceiptActivities = ReturnType<typeof createReceiptActivities>;
