import { applyEdgeChanges, applyNodeChanges, type Edge, type EdgeChange, type Node, type NodeChange } from '@xyflow/react';
import { useCallback, useMemo, useRef, useState } from 'react';
import { DEFAULT_HANDLE, type FlowDefinition } from '../../../flows/types';

const HISTORY_LIMIT = 100;
/** Edits of one node's config closer together than this are one undo step (typing a word is not ten). */
const COALESCE_MS = 1_000;

export type FlowNode = Node<Record<string, unknown>>;

export function toCanvas(def: FlowDefinition): { nodes: FlowNode[]; edges: Edge[] } {
  return {
    nodes: def.nodes.map((n) => ({ id: n.id, type: n.type, position: { ...n.position }, data: n.data })),
    edges: def.edges.map((e) => ({
      id: e.id,
      source: e.source,
      target: e.target,
      sourceHandle: e.sourceHandle ?? DEFAULT_HANDLE,
      label: e.sourceHandle && e.sourceHandle !== DEFAULT_HANDLE ? e.sourceHandle : undefined,
    })),
  };
}

/** What is saved: the canvas state without selection, sizes or styling. */
export function toDefinition(nodes: readonly FlowNode[], edges: readonly Edge[]): FlowDefinition {
  return {
    nodes: nodes.map((n) => ({ id: n.id, type: n.type ?? '', position: { x: Math.round(n.position.x), y: Math.round(n.position.y) }, data: n.data })),
    edges: edges.map((e) => ({ id: e.id, source: e.source, target: e.target, sourceHandle: e.sourceHandle ?? DEFAULT_HANDLE })),
  };
}

/**
 * The canvas graph with undo/redo. React Flow owns sizes and selection on its nodes (changes are
 * applied as it reports them); history keeps definitions, the part a user means to change.
 */
export function useFlowGraph(initial: FlowDefinition) {
  const [graph, setGraph] = useState(() => toCanvas(initial));
  const past = useRef<FlowDefinition[]>([]);
  const future = useRef<FlowDefinition[]>([]);
  const graphRef = useRef(graph);
  graphRef.current = graph;
  const lastConfigEdit = useRef<{ id: string; at: number }>(undefined);
  const dragging = useRef(false);
  const [, setHistoryVersion] = useState(0);

  const definition = useMemo(() => toDefinition(graph.nodes, graph.edges), [graph]);

  const record = useCallback(() => {
    past.current.push(toDefinition(graphRef.current.nodes, graphRef.current.edges));
    if (past.current.length > HISTORY_LIMIT) past.current.shift();
    future.current = [];
    lastConfigEdit.current = undefined;
    setHistoryVersion((v) => v + 1);
  }, []);

  /** Replace the graph (keeping which nodes are selected), recording an undo step unless told not to. */
  const setDefinition = useCallback(
    (next: FlowDefinition, options: { record?: boolean; select?: string[] } = {}) => {
      if (options.record !== false) record();
      const canvas = toCanvas(next);
      const selected = new Set(options.select ?? graphRef.current.nodes.filter((n) => n.selected).map((n) => n.id));
      setGraph({ nodes: canvas.nodes.map((n) => ({ ...n, selected: selected.has(n.id) })), edges: canvas.edges });
    },
    [record],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const starts = changes.some((c) => c.type === 'position' && c.dragging) && !dragging.current;
      if (starts || changes.some((c) => c.type === 'remove')) record();
      if (changes.some((c) => c.type === 'position')) dragging.current = changes.some((c) => c.type === 'position' && c.dragging);
      setGraph((g) => {
        const nodes = applyNodeChanges(changes, g.nodes);
        const removed = new Set(changes.filter((c) => c.type === 'remove').map((c) => c.id));
        const edges = removed.size ? g.edges.filter((e) => !removed.has(e.source) && !removed.has(e.target)) : g.edges;
        return { nodes, edges };
      });
    },
    [record],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      if (changes.some((c) => c.type === 'remove')) record();
      setGraph((g) => ({ ...g, edges: applyEdgeChanges(changes, g.edges) }));
    },
    [record],
  );

  const updateConfig = useCallback((id: string, data: Record<string, unknown>) => {
    const now = Date.now();
    const last = lastConfigEdit.current;
    if (!last || last.id !== id || now - last.at > COALESCE_MS) {
      past.current.push(toDefinition(graphRef.current.nodes, graphRef.current.edges));
      future.current = [];
      setHistoryVersion((v) => v + 1);
    }
    lastConfigEdit.current = { id, at: now };
    setGraph((g) => ({ ...g, nodes: g.nodes.map((n) => (n.id === id ? { ...n, data } : n)) }));
  }, []);

  const travel = useCallback((from: typeof past, to: typeof past) => {
    const target = from.current.pop();
    if (!target) return;
    to.current.push(toDefinition(graphRef.current.nodes, graphRef.current.edges));
    lastConfigEdit.current = undefined;
    const canvas = toCanvas(target);
    setGraph(canvas);
    setHistoryVersion((v) => v + 1);
  }, []);

  const select = useCallback((ids: readonly string[]) => {
    const wanted = new Set(ids);
    setGraph((g) => ({ nodes: g.nodes.map((n) => ({ ...n, selected: wanted.has(n.id) })), edges: g.edges.map((e) => ({ ...e, selected: false })) }));
  }, []);

  return {
    nodes: graph.nodes,
    edges: graph.edges,
    definition,
    setDefinition,
    onNodesChange,
    onEdgesChange,
    updateConfig,
    select,
    undo: useCallback(() => travel(past, future), [travel]),
    redo: useCallback(() => travel(future, past), [travel]),
    canUndo: past.current.length > 0,
    canRedo: future.current.length > 0,
  };
}
