/*
 * The editor's graph rules, pure so they are unit-tested without a browser: new node ids,
 * which connections the canvas accepts while dragging, and copy/paste of a selection.
 */
import { ID_PATTERN } from '../../../flows/definition';
import { DEFAULT_HANDLE, type DefinitionEdge, type DefinitionNode, type FlowDefinition } from '../../../flows/types';
import { entryOf, FLOW_KIT, type NodeKit } from './node-kit';

/** A short, readable id for a new node of a type ("http", "if_2"): expressions name nodes by id. */
export function newNodeId(type: string, taken: ReadonlySet<string>): string {
  const last = type.split('.').pop() ?? 'node';
  const base = last.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40) || 'node';
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}

export function edgeId(source: string, sourceHandle: string, target: string, taken: ReadonlySet<string>): string {
  const base = `${source}-${sourceHandle}-${target}`.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 56);
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}

export interface Connection {
  source: string | null;
  target: string | null;
  sourceHandle?: string | null;
}

/**
 * Why the canvas refuses a connection as it is dragged, or undefined when it is allowed. The
 * compiler checks the same rules on save; refusing early keeps an impossible graph off the canvas.
 */
export function connectionProblem(def: FlowDefinition, c: Connection, kit: NodeKit = FLOW_KIT): string | undefined {
  if (!c.source || !c.target) return 'Connect two nodes';
  if (c.source === c.target) return 'A node cannot connect to itself';
  const source = def.nodes.find((n) => n.id === c.source);
  const target = def.nodes.find((n) => n.id === c.target);
  if (!source || !target) return 'No such node';
  const targetType = entryOf(kit, target.type);
  if (targetType?.inputs === 'none') return `${targetType.label} is a trigger: nothing can lead into it`;
  const handle = c.sourceHandle || DEFAULT_HANDLE;
  const handles = kit.handlesOf(source.type, source.data) ?? [];
  if (!handles.includes(handle)) return `${source.id} has no "${handle}" output`;
  if (def.edges.some((e) => e.source === c.source && (e.sourceHandle || DEFAULT_HANDLE) === handle && e.target === c.target)) {
    return 'These two are already connected';
  }
  if (reaches(def.edges, c.target, c.source)) return `That would make a cycle (${kit.cycleHint})`;
  return undefined;
}

function reaches(edges: readonly DefinitionEdge[], from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of edges) if (e.source === id) stack.push(e.target);
  }
  return false;
}

export interface Clip {
  nodes: DefinitionNode[];
  edges: DefinitionEdge[];
}

/** The selected nodes and the edges between them. */
export function copySelection(def: FlowDefinition, selected: ReadonlySet<string>): Clip | undefined {
  const nodes = def.nodes.filter((n) => selected.has(n.id));
  if (nodes.length === 0) return undefined;
  const edges = def.edges.filter((e) => selected.has(e.source) && selected.has(e.target));
  return structuredClone({ nodes, edges });
}

/** A clip placed into a definition: fresh ids (references inside configs are left as written), offset a little. */
export function pasteClip(def: FlowDefinition, clip: Clip, offset = 40): { definition: FlowDefinition; pasted: string[] } {
  const nodeIds = new Set(def.nodes.map((n) => n.id));
  const rename = new Map<string, string>();
  const nodes = clip.nodes.map((n) => {
    const id = newNodeId(ID_PATTERN.test(n.id) ? n.id.replace(/_\d+$/, '') : n.type, nodeIds);
    nodeIds.add(id);
    rename.set(n.id, id);
    return { ...structuredClone(n), id, position: { x: n.position.x + offset, y: n.position.y + offset } };
  });
  const edgeIds = new Set(def.edges.map((e) => e.id));
  const edges = clip.edges.map((e) => {
    const source = rename.get(e.source)!;
    const target = rename.get(e.target)!;
    const id = edgeId(source, e.sourceHandle || DEFAULT_HANDLE, target, edgeIds);
    edgeIds.add(id);
    return { ...e, id, source, target };
  });
  return { definition: { nodes: [...def.nodes, ...nodes], edges: [...def.edges, ...edges] }, pasted: nodes.map((n) => n.id) };
}

/** Removes nodes and every edge touching them. */
export function removeNodes(def: FlowDefinition, ids: ReadonlySet<string>): FlowDefinition {
  return { nodes: def.nodes.filter((n) => !ids.has(n.id)), edges: def.edges.filter((e) => !ids.has(e.source) && !ids.has(e.target)) };
}

/**
 * Renames a node and the edges that touch it. Expressions that name the old id are not rewritten:
 * the validation that follows points at each one.
 */
export function renameNode(def: FlowDefinition, from: string, to: string): FlowDefinition | string {
  if (from === to) return def;
  if (!ID_PATTERN.test(to)) return 'Use 1 to 64 letters, digits, "_" or "-"';
  if (def.nodes.some((n) => n.id === to)) return `There is already a node "${to}"`;
  return {
    nodes: def.nodes.map((n) => (n.id === from ? { ...n, id: to } : n)),
    edges: def.edges.map((e) => ({ ...e, source: e.source === from ? to : e.source, target: e.target === from ? to : e.target })),
  };
}
