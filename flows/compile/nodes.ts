/*
 * Per-node checks: the type exists, the config is valid, its templates parse and read nodes that
 * exist, the activity is one the worker registers, a subflow names another known workflow.
 */
import { collectTemplates, parseTemplate } from '../expressions';
import { handlesFor, type AnyNodeType } from '../registry';
import { FLOW_ACTIVITIES, type DefinitionNode, type FlowDefinition, type RetryPolicy } from '../types';
import { issueProblems, type Problems } from './problems';

export interface CheckedNode {
  def: DefinitionNode;
  /** Undefined: unknown type. */
  nodeType?: AnyNodeType;
  /** The validated config (zod output, defaults applied); undefined when invalid. */
  config?: Record<string, unknown>;
  /** Every output handle (with ERROR_HANDLE where the type has one), when the config is valid. */
  handles?: string[];
}

export interface NodeCheckOptions {
  nodeTypes: Readonly<Record<string, AnyNodeType>>;
  knownWorkflowIds?: ReadonlySet<string>;
  selfWorkflowId?: string;
}

/** Nodes by id, in definition order (later duplicates of an id are reported and left out). */
export function checkNodes(definition: FlowDefinition, options: NodeCheckOptions, problems: Problems): Map<string, CheckedNode> {
  const nodes = new Map<string, CheckedNode>();
  for (const def of definition.nodes) {
    if (nodes.has(def.id)) {
      problems.error({ nodeId: def.id, path: 'id', message: `duplicate node id "${def.id}"` });
      continue;
    }
    nodes.set(def.id, checkNode(def, options, problems));
  }
  for (const node of nodes.values()) {
    checkTemplates(node.def, nodes, problems);
    if (node.config && node.nodeType?.runtime.kind === 'subflow') checkSubflow(node.def.id, node.config, options, problems);
  }
  return nodes;
}

function checkNode(def: DefinitionNode, options: NodeCheckOptions, problems: Problems): CheckedNode {
  const nodeType = Object.hasOwn(options.nodeTypes, def.type) ? options.nodeTypes[def.type] : undefined;
  if (!nodeType) {
    problems.error({ nodeId: def.id, path: 'type', message: `unknown node type "${def.type}"` });
    return { def };
  }
  const runtime = nodeType.runtime;
  if (runtime.kind === 'activity' && !(FLOW_ACTIVITIES as readonly string[]).includes(runtime.activity)) {
    problems.error({ nodeId: def.id, path: '', message: `"${def.type}" runs activity "${runtime.activity}", which flows cannot call` });
  }
  const parsed = nodeType.config.safeParse(def.data);
  if (!parsed.success) {
    for (const p of issueProblems(parsed.error.issues, ['data'])) problems.error({ nodeId: def.id, ...p });
    return { def, nodeType };
  }
  const config = parsed.data as Record<string, unknown>;
  checkRetry(def.id, nodeType, config, problems);
  return { def, nodeType, config, handles: handlesFor(nodeType, config) };
}

function checkTemplates(def: DefinitionNode, nodes: ReadonlyMap<string, CheckedNode>, problems: Problems): void {
  for (const { path, template } of collectTemplates(def.data)) {
    const parsed = parseTemplate(template);
    const at = path === '' ? 'data' : `data.${path}`;
    for (const problem of parsed.problems) problems.error({ nodeId: def.id, path: at, message: problem.message });
    for (const ref of parsed.nodeRefs) {
      if (!nodes.has(ref)) problems.warning({ nodeId: def.id, path: at, message: `reads nodes.${ref}, but the flow has no node "${ref}"` });
    }
  }
}

function checkSubflow(nodeId: string, config: Record<string, unknown>, options: NodeCheckOptions, problems: Problems): void {
  const workflowId = String(config.workflowId);
  if (workflowId === options.selfWorkflowId) {
    problems.error({ nodeId, path: 'data.workflowId', message: 'a workflow cannot run itself as a subflow' });
  } else if (options.knownWorkflowIds && !options.knownWorkflowIds.has(workflowId)) {
    problems.error({ nodeId, path: 'data.workflowId', message: `no workflow "${workflowId}" in this organization` });
  }
}

/** The retry policy an activity node runs with: its config's override over the type's default. */
export function effectiveRetry(nodeType: AnyNodeType, config: Record<string, unknown>): RetryPolicy | undefined {
  if (nodeType.runtime.kind !== 'activity') return undefined;
  const override = (config.retry ?? {}) as Partial<RetryPolicy>;
  return { ...DEFAULT_RETRY, ...nodeType.retry, ...override };
}

export function effectiveTimeoutMs(nodeType: AnyNodeType, config: Record<string, unknown>): number | undefined {
  if (nodeType.runtime.kind !== 'activity') return undefined;
  return typeof config.timeoutMs === 'number' ? config.timeoutMs : nodeType.timeoutMs;
}

const DEFAULT_RETRY: RetryPolicy = { maximumAttempts: 3, initialIntervalMs: 1_000, backoffCoefficient: 2 };

function checkRetry(nodeId: string, nodeType: AnyNodeType, config: Record<string, unknown>, problems: Problems): void {
  const retry = effectiveRetry(nodeType, config);
  if (retry?.maximumIntervalMs !== undefined && retry.maximumIntervalMs < retry.initialIntervalMs) {
    problems.error({
      nodeId,
      path: 'data.retry.maximumIntervalMs',
      message: `must be at least the initial interval (${retry.initialIntervalMs} ms)`,
    });
  }
}
