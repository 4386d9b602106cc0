// Messages of the flow interpreter workflow, shared by the workflow and the API (client side).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { FlowIR } from '../../flows/types';

export interface FlowRunInput {
  orgId: string;
  workflowId: string;
  executionId: string;
  /** Null for a test run of the unpublished draft (the interpreter runs `ir` either way). */
  versionId: string | null;
  version: number | null;
  /** The IR travels in the input, so the run's history pins the version it started on. */
  ir: FlowIR;
  /** The trigger payload (the trigger node's output). */
  trigger: unknown;
  /** Re-run from a node: these nodes' recorded outputs are reused instead of running them. */
  reuse?: Record<string, unknown>;
  /** How many subflow levels above this run (a chain of subflows stops at MAX_SUBFLOW_DEPTH). */
  depth?: number;
}

export const MAX_SUBFLOW_DEPTH = 8;

export type NodeStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'waiting' | 'reused';

export interface FlowRunState {
  status: 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
  /** by node id (loop body nodes: `<nodeId>#<iteration>`) */
  nodes: Record<string, { status: NodeStatus; attempt?: number; error?: string }>;
  waitingApprovals: { nodeId: string; message: unknown; approverRoles: string[] }[];
}

export interface ApprovalDecision {
  nodeId: string;
  decision: 'approve' | 'reject';
  comment?: string;
  decidedBy: { userId: string; email?: string; role?: string };
  decidedAt: string;
}

/** What a synchronous webhook answers: set by flow.respond, or derived from the run's end. */
export interface FlowResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface FlowRunResult {
  output: Record<string, unknown>;
  response?: FlowResponse;
}

export const stateQuery = defineQuery<FlowRunState>('state');
export const approvalSignal = defineSignal<[ApprovalDecision]>('approval');
/** Resolves when flow.respond ran (or the run ended without one). */
export const responseUpdate = defineUpdate<FlowResponse>('awaitResponse');
