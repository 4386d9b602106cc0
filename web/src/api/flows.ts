// Workflows, executions and approvals as the web app reads them (api/routes/workflows.ts,
// executions.ts and approvals.ts hold the zod schemas that are the source of truth).
import type { FlowDefinition, Problem } from '../../../flows/types';
import { api } from './client';
import { orgPath } from './orgs';
import type { Page } from './types';

export type WorkflowStatus = 'draft' | 'published' | 'disabled';
export type ExecutionStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
export type NodeRunStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'waiting' | 'reused' | 'cancelled';

export interface WorkflowSummary {
  id: string;
  name: string;
  description: string | null;
  status: WorkflowStatus;
  triggerType: string | null;
  publishedVersion: number | null;
  /** Errors in the saved draft. */
  problems: number;
  lastRun: { status: ExecutionStatus; at: string } | null;
  /** Executions started in the last 7 days, by outcome. */
  stats7d: { total: number; succeeded: number; failed: number };
  createdAt: string;
  updatedAt: string;
}

/** A workflow in the trash: restorable until `restorableUntil` (the organization's trashRetentionDays after deletion). */
export interface DeletedWorkflow extends WorkflowSummary {
  deletedAt: string;
  restorableUntil: string | null;
}

export interface WorkflowDetail extends WorkflowSummary {
  definition: FlowDefinition;
  draftProblems: Problem[];
  /** The webhook path and signing secret; null for members who may not edit the workflow. */
  webhook: { path: string; secret: string } | null;
  /** The payload of the last test run, remembered per workflow. */
  testPayload: unknown;
}

export interface WorkflowVersion {
  id: string;
  version: number;
  hash: string;
  note: string | null;
  publishedBy: string | null;
  createdAt: string;
}

export interface WorkflowVersionDetail extends WorkflowVersion {
  definition: FlowDefinition;
}

export interface Published {
  versionId: string;
  version: number;
  hash: string;
  triggerType: string;
  warnings: Problem[];
  createdAt: string;
}

export interface Started {
  executionId: string;
  temporalWorkflowId: string;
  duplicate: boolean;
}

export interface Execution {
  id: string;
  workflowId: string;
  workflowName: string;
  versionId: string | null;
  /** null for a test run of the draft. */
  version: number | null;
  test: boolean;
  status: ExecutionStatus;
  triggerType: string;
  temporalWorkflowId: string | null;
  rerunOf: string | null;
  rerunFromNode: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  createdAt: string;
}

export interface ExecutionStep {
  nodeId: string;
  nodeType: string;
  /** '' outside loops; the iteration path inside them. */
  iteration: string;
  attempt: number;
  status: NodeRunStatus;
  input: unknown;
  output: unknown;
  error: { message: string } | null;
  outputTruncated: boolean;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface LiveState {
  status: 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
  nodes: Record<string, { status: NodeRunStatus; attempt?: number; error?: string }>;
  waitingApprovals: { nodeId: string; message: unknown; approverRoles: string[] }[];
}

export interface ExecutionDetail extends Execution {
  input: unknown;
  output: unknown;
  error: unknown;
  steps: ExecutionStep[];
  /** The Temporal-side state while the run is not finished. */
  live: LiveState | null;
  /** The graph the run used (its version's definition, or the draft as it was for a test run). */
  definition: FlowDefinition;
  /** Link to the run in the Temporal UI. */
  temporalUiUrl: string | null;
}

export interface Approval {
  executionId: string;
  workflowId: string;
  workflowName: string;
  nodeId: string;
  message: unknown;
  approverRoles: string[];
  /** When the execution started waiting (its last status change). */
  waitingSince: string;
  executionCreatedAt: string;
}

export type RerunUsing = 'same' | 'latest' | 'draft';

const wf = (orgId: string, id?: string) => `${orgPath(orgId)}/workflows${id ? `/${encodeURIComponent(id)}` : ''}`;
const ex = (orgId: string, id?: string) => `${orgPath(orgId)}/executions${id ? `/${encodeURIComponent(id)}` : ''}`;

export const listWorkflows = (orgId: string, params: { q?: string; status?: WorkflowStatus; cursor?: string; limit?: number }, signal?: AbortSignal) =>
  api<Page<WorkflowSummary>>('GET', wf(orgId), { query: params, signal });
export const getWorkflow = (orgId: string, id: string, signal?: AbortSignal) => api<WorkflowDetail>('GET', wf(orgId, id), { signal });
export const createWorkflow = (orgId: string, input: { name: string; description?: string; definition?: FlowDefinition }) =>
  api<WorkflowDetail>('POST', wf(orgId), { body: input });
export const updateWorkflow = (orgId: string, id: string, changes: { name?: string; description?: string; definition?: FlowDefinition; testPayload?: unknown }) =>
  api<WorkflowDetail>('PATCH', wf(orgId, id), { body: changes });
/** Moves the workflow to the trash (restorable for the organization's trash retention period). */
export const deleteWorkflow = (orgId: string, id: string) => api<void>('DELETE', wf(orgId, id));
export const listDeletedWorkflows = (orgId: string, params: { q?: string; cursor?: string; limit?: number }, signal?: AbortSignal) =>
  api<Page<DeletedWorkflow>>('GET', wf(orgId), { query: { ...params, deleted: 'true' }, signal });
export const restoreWorkflow = (orgId: string, id: string) => api<WorkflowDetail>('POST', `${wf(orgId, id)}/restore`);
export const duplicateWorkflow = (orgId: string, id: string) => api<WorkflowDetail>('POST', `${wf(orgId, id)}/duplicate`);
export const validateWorkflow = (orgId: string, id: string, definition: FlowDefinition, signal?: AbortSignal) =>
  api<{ valid: boolean; problems: Problem[] }>('POST', `${wf(orgId, id)}/validate`, { body: { definition }, signal });
export const publishWorkflow = (orgId: string, id: string, note?: string) => api<Published>('POST', `${wf(orgId, id)}/publish`, { body: note ? { note } : {} });
export const unpublishWorkflow = (orgId: string, id: string) => api<WorkflowDetail>('POST', `${wf(orgId, id)}/unpublish`);
export const listVersions = (orgId: string, id: string, signal?: AbortSignal) => api<{ items: WorkflowVersion[] }>('GET', `${wf(orgId, id)}/versions`, { signal });
export const getVersion = (orgId: string, id: string, version: number, signal?: AbortSignal) =>
  api<WorkflowVersionDetail>('GET', `${wf(orgId, id)}/versions/${version}`, { signal });
export const restoreVersion = (orgId: string, id: string, version: number) => api<WorkflowDetail>('POST', `${wf(orgId, id)}/versions/${version}/restore`);
export const runWorkflow = (orgId: string, id: string, payload?: unknown) => api<Started>('POST', `${wf(orgId, id)}/run`, { body: payload === undefined ? {} : { payload } });
export const testRunWorkflow = (orgId: string, id: string, payload?: unknown) =>
  api<Started>('POST', `${wf(orgId, id)}/test-run`, { body: payload === undefined ? {} : { payload } });

export const listExecutions = (
  orgId: string,
  params: { workflowId?: string; status?: ExecutionStatus; since?: string; until?: string; cursor?: string; limit?: number },
  signal?: AbortSignal,
) => api<Page<Execution>>('GET', ex(orgId), { query: params, signal });
export const getExecution = (orgId: string, id: string, signal?: AbortSignal) => api<ExecutionDetail>('GET', ex(orgId, id), { signal });
export const cancelExecution = (orgId: string, id: string) => api<{ id: string; status: string }>('POST', `${ex(orgId, id)}/cancel`);
export const rerunExecution = (orgId: string, id: string, fromNodeId: string, using: RerunUsing = 'same') =>
  api<Started>('POST', `${ex(orgId, id)}/rerun`, { body: { fromNodeId, using } });
export const decideApproval = (orgId: string, executionId: string, nodeId: string, decision: 'approve' | 'reject', comment?: string) =>
  api<{ executionId: string; nodeId: string; decision: string }>('POST', `${ex(orgId, executionId)}/approvals/${encodeURIComponent(nodeId)}`, {
    body: comment ? { decision, comment } : { decision },
  });
export const listApprovals = (orgId: string, signal?: AbortSignal) => api<{ items: Approval[] }>('GET', `${orgPath(orgId)}/approvals`, { signal });

// Pure, so modules tested outside a browser can read it too.
export { FINISHED } from './flow-status';
