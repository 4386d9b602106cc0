/*
 * The flow engine's contract, shared by the API (compile on save/publish), the interpreter
 * workflow (runs the IR) and the web builder (palette and config forms). Pure: no I/O, no
 * Node APIs, no clock: this code runs inside Temporal workflows.
 */
import type { z } from 'zod';

// ---------------------------------------------------------------------------------------
// Stored definition: what the React Flow canvas saves.
// ---------------------------------------------------------------------------------------
export interface DefinitionNode {
  id: string;
  type: string;
  position: { x: number; y: number };
  /** The node's configuration as edited; validated by its node type's `config` schema. */
  data: Record<string, unknown>;
}

export interface DefinitionEdge {
  id: string;
  source: string;
  target: string;
  /** The source node's output handle; absent = the node's default handle ('out'). */
  sourceHandle?: string | null;
  targetHandle?: string | null;
}

export interface FlowDefinition {
  nodes: DefinitionNode[];
  edges: DefinitionEdge[];
}

/** One thing wrong with a definition, pinned to a node and a field path inside its config. */
export interface Problem {
  nodeId?: string;
  edgeId?: string;
  /** e.g. "data.url", "data.cases.0.when"; "" for the node or the graph as a whole. */
  path: string;
  message: string;
  severity: 'error' | 'warning';
  /** Problems about several nodes at once (a cycle): all of them, `nodeId` being the first. */
  nodeIds?: string[];
}

// ---------------------------------------------------------------------------------------
// Node types: one module per type (flows/nodes/<group>/<name>.ts), listed in flows/registry.ts.
// ---------------------------------------------------------------------------------------
export type NodeGroup = 'triggers' | 'logic' | 'data' | 'waits' | 'ai' | 'ghl' | 'flow' | 'http' | 'bot';

export const DEFAULT_HANDLE = 'out';
export const ERROR_HANDLE = 'error';

export interface RetryPolicy {
  maximumAttempts: number;
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs?: number;
}

/**
 * How the interpreter runs a node:
 * - trigger: the run's input becomes the node's output.
 * - inline: pure code in the workflow (no I/O) computing the output and the handle to follow.
 * - activity: the named activity does the I/O; its result is the output (handle 'out').
 * - delay | approval | merge | loop | subflow | respond: engine primitives (timers, signals,
 *   joins, child workflows, the sync webhook response) implemented by the interpreter itself.
 */
export type NodeRuntime<C> =
  | { kind: 'trigger' }
  | { kind: 'inline'; run(config: C, ctx: InlineContext): InlineResult }
  | { kind: 'activity'; activity: FlowActivityName }
  | { kind: 'delay' | 'approval' | 'merge' | 'loop' | 'subflow' | 'respond' }
  /** A bot graph's node (bots/graph/): run by the conversation workflow, never by a flow. */
  | { kind: 'conversation' };

export interface InlineResult {
  output: unknown;
  /** Which output handle the run continues on; default DEFAULT_HANDLE. */
  handle?: string;
}

/** What inline nodes and expressions see (the expression scope). */
export interface ExpressionScope {
  trigger: unknown;
  nodes: Record<string, { output: unknown }>;
  vars: Record<string, unknown>;
  execution: { id: string; startedAt: string };
}

export interface InlineContext {
  scope: ExpressionScope;
  nodeId: string;
}

/** Activities a flow may call; the worker registers exactly these (the compiler checks). */
export const FLOW_ACTIVITIES = ['httpRequest', 'llmChat', 'ghlAction', 'extractReceipt'] as const;
export type FlowActivityName = (typeof FLOW_ACTIVITIES)[number];

export interface NodeType<C = unknown> {
  /** e.g. 'logic.if' */
  type: string;
  label: string;
  group: NodeGroup;
  description: string;
  /**
   * Validates the node's `data`. String fields may hold `{{ expression }}` templates; they are
   * validated as written (before evaluation), so schemas accept strings where expressions are
   * allowed and the compiler parses each template.
   */
  config: z.ZodType<C>;
  /**
   * Version of this type's config and behaviour; the IR records it per node. A breaking
   * change adds a new version beside the old one.
   */
  version: number;
  /**
   * Output handles for this config (e.g. ['true','false'], switch cases + 'default'), without
   * ERROR_HANDLE: when `errorHandle` is true, `handlesOf()` in flows/registry.ts appends
   * ERROR_HANDLE, and that full list is what the compiler accepts edges from, what the IR's
   * `next` holds and what the palette draws.
   */
  handles(config: C): string[];
  /** 'none' for triggers, 'many' for logic.merge, otherwise 'one' or more edges allowed. */
  inputs: 'none' | 'any';
  /**
   * Whether the node has an ERROR_HANDLE that receives its failure (appended to `handles()` by
   * `handlesOf()`). With no edge on it, a failure fails the run.
   */
  errorHandle: boolean;
  runtime: NodeRuntime<C>;
  /** Defaults for activity nodes; config `retry` / `timeoutMs` override them. */
  retry?: RetryPolicy;
  timeoutMs?: number;
}

// ---------------------------------------------------------------------------------------
// IR: what the interpreter runs. Plain JSON (it travels as the workflow input and is stored in
// workflow_versions); `hash` is a content hash of everything else.
// ---------------------------------------------------------------------------------------
export interface IRNode {
  id: string;
  type: string;
  /** The node type's `version` when compiled. */
  version: number;
  /** The validated config, templates still unevaluated. */
  config: Record<string, unknown>;
  /**
   * handle -> target node ids (sorted), one key for every handle of the node (`handlesOf`),
   * with [] where nothing is connected (an empty ERROR_HANDLE means: a failure fails the run).
   */
  next: Record<string, string[]>;
  /** Source node ids with an edge into this node (logic.merge waits for the ones that run). */
  incoming: string[];
  retry?: RetryPolicy;
  timeoutMs?: number;
  /** logic.loop only: node ids of the body sub-graph, and the body's entry nodes. */
  body?: { entry: string[]; nodes: string[] };
}

export interface FlowIR {
  irVersion: 1;
  hash: string;
  triggerId: string;
  triggerType: string;
  nodes: Record<string, IRNode>;
  /** Other workflows this one starts (flow.subflow), by workflow id: checked against the org. */
  subflows: string[];
}

export type CompileResult = { ok: true; ir: FlowIR; problems: Problem[] } | { ok: false; problems: Problem[] };
