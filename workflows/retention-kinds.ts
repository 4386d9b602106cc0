/*
 * What retention deletes, in the order the daily run applies it. Trash goes before the rows that
 * hang off it would be looked at again (a purged bot takes its conversations with it).
 * Pure: the workflow imports this list.
 */
export const RETENTION_KINDS = [
  'executions',
  'conversations',
  'audit_log',
  'webhook_events',
  'trash_receipts',
  'trash_bots',
  'trash_contacts',
  'trash_workflows',
  'trash_team_members',
] as const;

export type RetentionKind = (typeof RETENTION_KINDS)[number];

export interface RetentionResult {
  deleted: number;
  archived: number;
  filesRemoved: number;
}
