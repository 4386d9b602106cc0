// A receipt driven for history recording (scripts/record-history.ts): read by the fake vision
// model, sent to review (its line items do not add up), confirmed with an edit, which records
// its sale and starts the sale's commission.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { localReceiptStorage } from '../../activities/receipts/storage';
import { decideReceiptUpdate, receiptPhaseQuery, receiptWorkflowId } from '../../workflows/receipts/messages';
import type { DriveContext, DrivenRun } from './bot-scenarios';
import { ROOT } from './launcher-env';

/** Where the recording worker and this scenario keep receipt files. */
export const RECORDING_RECEIPTS = localReceiptStorage(mkdtempSync(path.join(tmpdir(), 'flowline-record-receipts-')));

export async function receiptReviewConfirm(ctx: DriveContext): Promise<DrivenRun> {
  const { sql, client, taskQueue } = ctx;
  const [org] = await sql<{ id: string }[]>`insert into public.organizations (name, slug) values ('Receipts', ${`receipts-${randomUUID().slice(0, 8)}`}) returning id`;
  const orgId = org!.id;
  const bytes = readFileSync(path.join(ROOT, 'test', 'fixtures', 'receipts', 'hardware-store.jpg'));
  const receiptId = randomUUID();
  const key = `${orgId}/${receiptId}`;
  await RECORDING_RECEIPTS.put(key, bytes, 'image/jpeg');
  await sql`
    insert into public.opportunity_receipts (id, organization_id, ghl_opportunity_id, file_name, content_type, size_bytes, sha256, storage_key)
    values (${receiptId}, ${orgId}, 'opp-recording', 'hardware.jpg', 'image/jpeg', ${bytes.length}, ${createHash('sha256').update(bytes).digest('hex')}, ${key})`;
  const workflowId = receiptWorkflowId(orgId, receiptId);
  const handle = await client.workflow.start('receiptWorkflow', { workflowId, taskQueue, args: [{ orgId, receiptId, retry: { initialIntervalMs: 100, maximumAttempts: 2 } }] });
  for (;;) {
    if ((await handle.query(receiptPhaseQuery)) === 'needs_review') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await handle.executeUpdate(decideReceiptUpdate, { args: [{ kind: 'confirm', userId: randomUUID(), edits: { totalMinor: 4_250, currency: 'USD' }, createSale: true }] });
  await handle.result();
  return { workflowId };
}
