/*
 * Graph checks: edges, the trigger, reachability, cycles and loop bodies.
 *
 * The graph has no back edges at all: a cycle is always an error. Repetition is logic.loop's
 * job, which runs the sub-graph behind its "body" handle once per item. That body is closed:
 * every node reachable from the body handle belongs to it, no edge may return to the loop, and
 * nothing outside may lead into the body except the body handle itself.
 */
import { LOOP_BODY_HANDLE } from '../nodes/logic/loop';
import { DEFAULT_HANDLE, type FlowDefinition } from '../types';
import type { CheckedNode } from './nodes';
import type { Problems } from './problems';

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** sourceHandle, DEFAULT_HANDLE when absent. */
  handle: string;
}

export interface LoopBody {
  entry: string[];
  nodes: string[];
}

/** The edges that join two existing nodes, each once; what is wrong with the others is reported. */
export function checkEdges(definition: FlowDefinition, nodes: ReadonlyMap<string, CheckedNode>, problems: Problems): GraphEdge[] {
  const ids = new Set<string>();
  const links = new Set<string>();
  const edges: GraphEdge[] = [];
  for (const def of definition.edges) {
    if (ids.has(def.id)) {
      problems.error({ edgeId: def.id, path: 'id', message: `duplicate edge id "${def.id}"` });
      continue;
    }
    ids.add(def.id);
    const source = nodes.get(def.source);
    const target = nodes.get(def.target);
    if (!source) problems.error({ edgeId: def.id, path: 'source', message: `starts at node "${def.source}", which does not exist` });
    if (!target) problems.error({ edgeId: def.id, path: 'target', message: `ends at node "${def.target}", which does not exist` });
    if (!source || !target) continue;
    const handle = def.sourceHandle ?? DEFAULT_HANDLE;
    const link = JSON.stringify([def.source, handle, def.target]);
    if (links.has(link)) {
      problems.error({ edgeId: def.id, path: '', message: `another edge already joins "${def.source}" (${handle}) to "${def.target}"` });
      continue;
    }
    links.add(link);
    if (source.handles && !source.handles.includes(handle)) {
      const has = source.handles.length > 0 ? `its handles are ${source.handles.map((h) => `"${h}"`).join(', ')}` : 'nothing may follow it';
      problems.error({ edgeId: def.id, path: 'sourceHandle', message: `"${source.def.type}" node "${def.source}" has no handle "${handle}" (${has})` });
    }
    if (target.nodeType?.inputs === 'none') {
      problems.error({ edgeId: def.id, path: 'target', message: `leads into trigger "${def.target}"; a trigger starts the flow and has no input` });
    }
    edges.push({ id: def.id, source: def.source, target: def.target, handle });
  }
  return edges;
}

/** Trigger node ids; a flow needs exactly one. */
export function checkTriggers(nodes: ReadonlyMap<string, CheckedNode>, problems: Problems): string[] {
  const triggers = [...nodes.values()].filter((n) => n.nodeType?.runtime.kind === 'trigger').map((n) => n.def.id);
  if (triggers.length === 0) problems.error({ path: '', message: 'the flow has no trigger: add one to say what starts it' });
  if (triggers.length > 1) {
    const list = triggers.map((id) => `"${id}"`).join(', ');
    for (const id of triggers) problems.error({ nodeId: id, path: '', message: `a flow has exactly one trigger; this one has ${triggers.length} (${list})` });
  }
  return triggers;
}

export function checkReachable(nodes: ReadonlyMap<string, CheckedNode>, edges: readonly GraphEdge[], triggers: readonly string[], problems: Problems): void {
  if (triggers.length === 0) return;
  const reached = reach(triggers, successors(edges));
  for (const id of nodes.keys()) {
    if (!reached.has(id)) problems.error({ nodeId: id, path: '', message: 'unreachable: no path leads here from the trigger' });
  }
}

/** Every strongly connected component with a cycle in it (Tarjan), reported once each. */
export function checkCycles(nodes: ReadonlyMap<string, CheckedNode>, edges: readonly GraphEdge[], problems: Problems): void {
  const next = successors(edges);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const visit = (id: string): void => {
    index.set(id, index.size);
    low.set(id, index.get(id) as number);
    stack.push(id);
    onStack.add(id);
    for (const to of next.get(id) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(id, Math.min(low.get(id) as number, low.get(to) as number));
      } else if (onStack.has(to)) {
        low.set(id, Math.min(low.get(id) as number, index.get(to) as number));
      }
    }
    if (low.get(id) !== index.get(id)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== id);
    if (component.length > 1 || next.get(id)?.includes(id)) {
      const members = component.sort();
      problems.error({
        nodeId: members[0],
        nodeIds: members,
        path: '',
        message: `cycle through ${members.map((m) => `"${m}"`).join(', ')}: flows have no back edges (repeat steps with a loop node)`,
      });
    }
  };
  for (const id of nodes.keys()) if (!index.has(id)) visit(id);
}

/** Each loop's body (sorted), checking that only its body handle leads in and nothing leads back. */
export function checkLoops(nodes: ReadonlyMap<string, CheckedNode>, edges: readonly GraphEdge[], problems: Problems): Map<string, LoopBody> {
  const bodies = new Map<string, LoopBody>();
  const next = successors(edges);
  for (const loop of nodes.values()) {
    if (loop.nodeType?.runtime.kind !== 'loop') continue;
    const loopId = loop.def.id;
    const entry = unique(edges.filter((e) => e.source === loopId && e.handle === LOOP_BODY_HANDLE).map((e) => e.target));
    const body = reach(entry, next, loopId);
    for (const edge of edges) {
      if (body.has(edge.source) && edge.target === loopId) {
        problems.error({ edgeId: edge.id, path: 'target', message: `leads from the body of loop "${loopId}" back to the loop; the loop repeats its body by itself` });
      } else if (body.has(edge.target) && !body.has(edge.source) && !(edge.source === loopId && edge.handle === LOOP_BODY_HANDLE)) {
        problems.error({
          edgeId: edge.id,
          path: 'target',
          message: `enters the body of loop "${loopId}" from outside ("${edge.target}" is reached from the loop's body handle, and only that handle may lead into the body)`,
        });
      }
    }
    if (entry.length === 0) problems.warning({ nodeId: loopId, path: '', message: 'nothing is connected to the "body" handle: the loop does nothing' });
    bodies.set(loopId, { entry, nodes: [...body].sort() });
  }
  return bodies;
}

/** Warnings about nodes that are valid but probably not what the author meant. */
export function checkUsage(nodes: ReadonlyMap<string, CheckedNode>, edges: readonly GraphEdge[], triggers: readonly string[], problems: Problems): void {
  const trigger = triggers.length === 1 ? nodes.get(triggers[0] as string) : undefined;
  const syncWebhook = trigger?.def.type === 'trigger.webhook' && trigger.config?.mode === 'sync';
  for (const node of nodes.values()) {
    const kind = node.nodeType?.runtime.kind;
    if (kind === 'respond' && trigger?.config && !syncWebhook) {
      problems.warning({ nodeId: node.def.id, path: '', message: 'only a webhook trigger in sync mode waits for a response; here it has no effect' });
    }
    if (kind === 'merge') {
      const incoming = unique(edges.filter((e) => e.target === node.def.id).map((e) => e.source)).length;
      if (incoming < 2) problems.warning({ nodeId: node.def.id, path: '', message: `a merge joins two or more branches; ${incoming} lead${incoming === 1 ? 's' : ''} here` });
    }
  }
}

export function successors(edges: readonly GraphEdge[]): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    const targets = next.get(e.source);
    if (targets) targets.push(e.target);
    else next.set(e.source, [e.target]);
  }
  return next;
}

/** Nodes reachable from `start` (included), never passing through `avoid`. */
function reach(start: readonly string[], next: ReadonlyMap<string, string[]>, avoid?: string): Set<string> {
  const seen = new Set<string>();
  const queue = start.filter((id) => id !== avoid);
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    if (seen.has(id)) continue;
    seen.add(id);
    for (const to of next.get(id) ?? []) if (to !== avoid && !seen.has(to)) queue.push(to);
  }
  return seen;
}

export function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}
