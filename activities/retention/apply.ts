import { heartbeat } from '@temporalio/activity';
import type { Sql } from '../../db/client';
import { type Tx, withClaims } from '../../db/tenant';
import type { ReceiptStorage } from '../receipts/storage';
import { type ArchiveStorage, writeArchive } from './archive';
import type { RetentionKind, RetentionResult } from '../../workflows/retention-kinds';

/** No organization in particular: each take function decides per organization itself. */
const PLATFORM = '00000000-0000-0000-0000-000000000000';
const DEFAULT_BATCH = 500;

interface TakenRow {
  organization_id: string;
  archive: boolean;
  item: Record<string, unknown>;
}

/** One batch of each kind (app.retention_take_<kind>, 20261207000700_data_retention.sql). */
const TAKE: Record<RetentionKind, (tx: Tx, batch: number, org: string | null) => Promise<TakenRow[]>> = {
  executions: (tx, n, org) => tx<TakenRow[]>`select * from app.retention_take_executions(${n}, ${org}::uuid)`,
  conversations: (tx, n, org) => tx<TakenRow[]>`select * from app.retention_take_conversations(${n}, ${org}::uuid)`,
  audit_log: (tx, n, org) => tx<TakenRow[]>`select * from app.retention_take_audit_log(${n}, ${org}::uuid)`,
  webhook_events: (tx, n, org) => tx<TakenRow[]>`select * from app.retention_take_webhook_events(${n}, ${org}::uuid)`,
  trash_receipts: (tx, n, org) => tx<TakenRow[]>`select * from app.retention_take_trash_receipts(${n}, ${org}::uuid)`,
  trash_bots: (tx, n, org) => tx<TakenRow[]>`select * from app.retention_take_trash_bots(${n}, ${org}::uuid)`,
  trash_contacts: (tx, n, org) => tx<TakenRow[]>`select * from app.retention_take_trash_contacts(${n}, ${org}::uuid)`,
  trash_workflows: (tx, n, org) => tx<TakenRow[]>`select * from app.retention_take_trash_workflows(${n}, ${org}::uuid)`,
  trash_team_members: (tx, n, org) => tx<TakenRow[]>`select * from app.retention_take_trash_team_members(${n}, ${org}::uuid)`,
};

export interface RetentionDeps {
  sql: Sql;
  archive: ArchiveStorage;
  receipts: { storage: ReceiptStorage };
}

export function createRetentionActivities(deps: RetentionDeps) {
  /**
   * Deletes one batch and, before the transaction commits, archives the rows of organizations that
   * asked for it and removes purged receipts' files. A failure anywhere rolls the batch back: a
   * row is never gone without its archive line (it may be archived twice after a crash).
   */
  async function batch(kind: RetentionKind, size: number, orgId: string | null = null): Promise<RetentionResult & { taken: number }> {
    return withClaims(deps.sql, { role: 'worker', org_id: PLATFORM }, async (tx) => {
      const rows = await TAKE[kind](tx, size, orgId);
      const archived = await writeArchive(deps.archive, kind, rows.filter((r) => r.archive));
      let filesRemoved = 0;
      if (kind === 'trash_receipts') {
        for (const row of rows) {
          await deps.receipts.storage.delete(String(row.item.storage_key));
          filesRemoved += 1;
        }
      }
      return { taken: rows.length, deleted: rows.length, archived, filesRemoved };
    });
  }

  return {
    /** Applies one kind of retention in batches until nothing is left; heartbeats between batches. */
    async applyRetention(input: { kind: RetentionKind; batch?: number; orgId?: string }): Promise<RetentionResult> {
      if (!(input.kind in TAKE)) throw new Error(`Unknown retention kind ${JSON.stringify(input.kind)}`);
      const size = input.batch ?? DEFAULT_BATCH;
      const total: RetentionResult = { deleted: 0, archived: 0, filesRemoved: 0 };
      for (;;) {
        const done = await batch(input.kind, size, input.orgId ?? null);
        total.deleted += done.deleted;
        total.archived += done.archived;
        total.filesRemoved += done.filesRemoved;
        heartbeat(total);
        if (done.taken < size) return total;
      }
    },

    /** Kept for the `pruneExecutionsWorkflow` of earlier deployments: executions only. */
    async pruneExecutions(input: { batch?: number } = {}): Promise<{ deleted: number }> {
      const size = input.batch ?? 1000;
      let deleted = 0;
      for (;;) {
        const done = await batch('executions', size);
        deleted += done.deleted;
        heartbeat({ deleted });
        if (done.taken < size) return { deleted };
      }
    },
  };
}
