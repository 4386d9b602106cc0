/*
 * Definition -> IR. The API compiles on every save (problems shown on the canvas) and on
 * publish (any error refuses it); the interpreter runs the IR. compile() never throws: whatever
 * it is given, it answers with problems, every one it can find rather than the first.
 *
 * The IR's hash covers what runs (types, versions, configs, edges), not the layout: moving a
 * node on the canvas or renaming an edge is not a new version.
 */
import { checkEdges, checkCycles, checkLoops, checkReachable, checkTriggers, checkUsage, unique, type GraphEdge, type LoopBody } from './compile/graph';
import { checkNodes, effectiveRetry, effectiveTimeoutMs, type CheckedNode } from './compile/nodes';
import { issueProblems, Problems } from './compile/problems';
import { flowDefinitionSchema } from './definition';
import { canonicalJson } from './json';
import { NODE_TYPES, type AnyNodeType } from './registry';
import type { CompileResult, FlowIR, IRNode, Problem } from './types';

export { canonicalJson } from './json';

export interface CompileOptions {
  /** Content hash of the IR's canonical JSON (e.g. SHA-256 hex); injected so flows/ stays pure. */
  hash: (canonicalJson: string) => string;
  /** The organization's workflow ids: a subflow must name one of them (not checked when absent). */
  knownWorkflowIds?: ReadonlySet<string>;
  /** The workflow being compiled: it may not run itself as a subflow. */
  selfWorkflowId?: string;
  /** The node types to compile against; NODE_TYPES by default. */
  nodeTypes?: Readonly<Record<string, AnyNodeType>>;
}

export function compile(definition: unknown, options: CompileOptions): CompileResult {
  try {
    return compileDefinition(definition, options);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [{ path: '', message: `the flow could not be compiled: ${detail}`, severity: 'error' }] };
  }
}

function compileDefinition(input: unknown, options: CompileOptions): CompileResult {
  const shape = flowDefinitionSchema.safeParse(input);
  if (!shape.success) return { ok: false, problems: shapeProblems(shape.error.issues, input) };
  const definition = shape.data;
  const problems = new Problems();

  const nodes = checkNodes(definition, { ...options, nodeTypes: options.nodeTypes ?? NODE_TYPES }, problems);
  const edges = checkEdges(definition, nodes, problems);
  const triggers = checkTriggers(nodes, problems);
  checkReachable(nodes, edges, triggers, problems);
  checkCycles(nodes, edges, problems);
  const bodies = checkLoops(nodes, edges, problems);
  checkUsage(nodes, edges, triggers, problems);

  if (problems.hasErrors) return { ok: false, problems: problems.list };
  const ir = buildIR(nodes, edges, bodies, triggers[0] as string, options.hash);
  return { ok: true, ir, problems: problems.list };
}

/** Only called without errors: every node has a known type and a valid config. */
function buildIR(
  nodes: ReadonlyMap<string, CheckedNode>,
  edges: readonly GraphEdge[],
  bodies: ReadonlyMap<string, LoopBody>,
  triggerId: string,
  hash: (canonical: string) => string,
): FlowIR {
  const irNodes: Record<string, IRNode> = {};
  for (const { def, nodeType, config, handles } of nodes.values()) {
    if (!nodeType || !config || !handles) throw new Error(`node "${def.id}" was not checked`);
    const out = edges.filter((e) => e.source === def.id);
    const node: IRNode = {
      id: def.id,
      type: def.type,
      version: nodeType.version,
      config,
      next: Object.fromEntries(handles.map((h) => [h, unique(out.filter((e) => e.handle === h).map((e) => e.target))])),
      incoming: unique(edges.filter((e) => e.target === def.id).map((e) => e.source)),
    };
    const retry = effectiveRetry(nodeType, config);
    const timeoutMs = effectiveTimeoutMs(nodeType, config);
    if (retry) node.retry = retry;
    if (timeoutMs !== undefined) node.timeoutMs = timeoutMs;
    const body = bodies.get(def.id);
    if (body) node.body = body;
    irNodes[def.id] = node;
  }
  const subflows = unique(
    Object.values(irNodes)
      .filter((n) => nodes.get(n.id)?.nodeType?.runtime.kind === 'subflow')
      .map((n) => String(n.config.workflowId)),
  );
  const unhashed: Omit<FlowIR, 'hash'> = {
    irVersion: 1,
    triggerId,
    triggerType: irNodes[triggerId]?.type as string,
    nodes: irNodes,
    subflows,
  };
  return { ...unhashed, hash: hash(canonicalJson(unhashed)) };
}

/** Definition shape problems, pinned to the node or edge they are in when it has an id. */
function shapeProblems(issues: Parameters<typeof issueProblems>[0], input: unknown): Problem[] {
  return issues.flatMap((issue) =>
    issueProblems([issue], []).map((p) => {
      const [list, index] = issue.path;
      const item = (input as Record<string, unknown[]> | null)?.[String(list)]?.[Number(index)] as { id?: unknown } | undefined;
      const id = typeof index === 'number' && typeof item?.id === 'string' ? item.id : undefined;
      const where = id === undefined ? {} : list === 'nodes' ? { nodeId: id } : list === 'edges' ? { edgeId: id } : {};
      return { ...where, ...p, severity: 'error' as const };
    }),
  );
}
