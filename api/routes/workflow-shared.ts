/*
 * What the workflow routes share: the row as stored, its JSON shapes, and loading or compiling
 * a workflow as the caller (RLS decides what is there).
 */
import { z } from 'zod';
import type { Tx } from '../../db/tenant';
import type { Problem } from '../../flows/types';
import { compileDefinition, unpublishable } from '../flows/compile';
import { type DraftRun, type VersionRow } from '../flows/executions';
import { HttpError } from '../http/errors';

export const definitionField = z.object({ nodes: z.array(z.unknown()).max(500), edges: z.array(z.unknown()).max(2000) }).passthrough();

export interface WorkflowRow {
  id: string;
  name: string;
  description: string | null;
  status: 'draft' | 'published' | 'disabled';
  definition: unknown;
  draft_problems: Problem[];
  trigger_type: string | null;
  published_version: number | null;
  webhook_token: string;
  webhook_secret: string;
  created_at: Date;
  updated_at: Date;
  test_payload: unknown;
  deleted_at: Date | null;
  /** Set by the trash list: the last moment a deleted workflow may be restored. */
  restorable_until?: Date | null;
  last_status?: string | null;
  last_at?: Date | null;
  runs_7d?: number;
  succeeded_7d?: number;
  failed_7d?: number;
}

export const summary = (r: WorkflowRow) => ({
  id: r.id,
  name: r.name,
  description: r.description,
  status: r.status,
  triggerType: r.trigger_type,
  publishedVersion: r.published_version,
  problems: r.draft_problems.filter((p) => p.severity === 'error').length,
  lastRun: r.last_at ? { status: r.last_status, at: r.last_at.toISOString() } : null,
  stats7d: { total: r.runs_7d ?? 0, succeeded: r.succeeded_7d ?? 0, failed: r.failed_7d ?? 0 },
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  ...(r.deleted_at ? { deletedAt: r.deleted_at.toISOString(), restorableUntil: r.restorable_until?.toISOString() ?? null } : {}),
});

export const detail = (r: WorkflowRow, canEdit: boolean) => ({
  ...summary(r),
  definition: r.definition,
  draftProblems: r.draft_problems,
  // The webhook URL is a capability: shown to those who may change the workflow.
  webhook: canEdit ? { path: `/hooks/${r.webhook_token}`, secret: r.webhook_secret } : null,
  testPayload: r.test_payload ?? null,
});

/** A test payload as a jsonb parameter: JSON null (or none) is stored as SQL null. */
export const payloadParam = (tx: Tx, value: unknown) => (value === null || value === undefined ? null : tx.json(value as never));

/** A live workflow: one in the trash answers 404 like one that never existed (it is restored first). */
export async function loadWorkflow(tx: Tx, orgId: string, id: string): Promise<WorkflowRow> {
  const [row] = await tx<WorkflowRow[]>`select * from public.workflows where id = ${id} and organization_id = ${orgId} and deleted_at is null`;
  if (!row) throw new HttpError(404, 'No such workflow');
  return row;
}

/** Other live workflows of the organization a subflow may name (RLS: the caller's view). */
export async function orgWorkflowIds(tx: Tx, orgId: string): Promise<Set<string>> {
  const rows = await tx<{ id: string }[]>`select id from public.workflows where organization_id = ${orgId} and deleted_at is null`;
  return new Set(rows.map((r) => r.id));
}

export async function draftProblems(tx: Tx, orgId: string, id: string | undefined, definition: unknown): Promise<Problem[]> {
  return compileDefinition(definition, { knownWorkflowIds: await orgWorkflowIds(tx, orgId), selfWorkflowId: id }).problems;
}

export async function publishedVersion(tx: Tx, orgId: string, workflowId: string): Promise<VersionRow | undefined> {
  // The version that runs is the one the workflow names (normally its newest).
  const [v] = await tx<VersionRow[]>`
    select v.id, v.workflow_id, v.version, v.ir from public.workflow_versions v
    join public.workflows w on w.id = v.workflow_id and w.published_version = v.version and w.deleted_at is null
    where v.organization_id = ${orgId} and v.workflow_id = ${workflowId}`;
  return v;
}

/**
 * The saved draft compiled now, as a test run of it starts it (no version; the run keeps the
 * snapshot). A draft with errors answers 422 listing them, exactly as publishing would.
 */
export async function compiledDraft(tx: Tx, orgId: string, wf: WorkflowRow): Promise<DraftRun> {
  const result = compileDefinition(wf.definition, { knownWorkflowIds: await orgWorkflowIds(tx, orgId), selfWorkflowId: wf.id });
  if (!result.ok) throw unpublishable(result.problems);
  return { workflow_id: wf.id, id: null, version: null, ir: result.ir, definition: wf.definition };
}

export const TEST_PAYLOAD_MAX_BYTES = 256 * 1024;
export const testPayloadField = z
  .json()
  .refine((v) => Buffer.byteLength(JSON.stringify(v) ?? 'null', 'utf8') <= TEST_PAYLOAD_MAX_BYTES, `Use at most ${TEST_PAYLOAD_MAX_BYTES / 1024} KiB of JSON`);


