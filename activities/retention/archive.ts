/*
 * The archive that retention writes to before it deletes (when an organization asks for it):
 * JSON lines, one object per batch, under `<orgId>/<kind>/<yyyy>/<mm>/<dd>/<time>-<id>.jsonl`,
 * on local disk (ARCHIVE_DIR, default .data/archive) or in the receipts' S3 bucket under
 * ARCHIVE_S3_PREFIX. Objects are never appended to (S3 cannot), so a batch is one object.
 */
import { randomUUID } from 'node:crypto';
import { receiptStorageFrom, type ReceiptStorage, type StorageConfig } from '../receipts/storage';

export type ArchiveStorage = ReceiptStorage;

export const DEFAULT_ARCHIVE_DIR = '.data/archive';
export const DEFAULT_ARCHIVE_S3_PREFIX = 'archive';

export interface ArchiveConfig extends Omit<StorageConfig, 'RECEIPTS_STORAGE' | 'RECEIPTS_DIR' | 'RECEIPTS_S3_PREFIX'> {
  ARCHIVE_STORAGE: 'local' | 's3';
  ARCHIVE_DIR?: string;
  ARCHIVE_S3_PREFIX?: string;
}

/** The same two backends as receipt files (one implementation of atomic local writes and of S3). */
export function archiveStorageFrom(config: ArchiveConfig): ArchiveStorage {
  return receiptStorageFrom({
    ...config,
    RECEIPTS_STORAGE: config.ARCHIVE_STORAGE,
    RECEIPTS_DIR: config.ARCHIVE_DIR || DEFAULT_ARCHIVE_DIR,
    RECEIPTS_S3_PREFIX: config.ARCHIVE_S3_PREFIX || DEFAULT_ARCHIVE_S3_PREFIX,
  });
}

export interface ArchiveLine {
  kind: string;
  organizationId: string;
  archivedAt: string;
  row: unknown;
}

/** `20261207T043000Z`: sortable, and only characters a storage key allows. */
const compactTime = (at: Date) => at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

export function archiveKey(orgId: string, kind: string, at: Date, id: string = randomUUID()): string {
  const iso = at.toISOString();
  return `${orgId}/${kind.replace(/_/g, '-')}/${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${compactTime(at)}-${id}.jsonl`;
}

/** Writes one object per organization; answers how many rows were written. */
export async function writeArchive(
  storage: ArchiveStorage,
  kind: string,
  rows: readonly { organization_id: string; item: unknown }[],
  at: Date = new Date(),
): Promise<number> {
  const byOrg = new Map<string, ArchiveLine[]>();
  for (const row of rows) {
    const lines = byOrg.get(row.organization_id) ?? [];
    lines.push({ kind, organizationId: row.organization_id, archivedAt: at.toISOString(), row: row.item });
    byOrg.set(row.organization_id, lines);
  }
  for (const [orgId, lines] of byOrg) {
    const body = lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
    await storage.put(archiveKey(orgId, kind, at), Buffer.from(body, 'utf8'), 'application/x-ndjson');
  }
  return rows.length;
}
