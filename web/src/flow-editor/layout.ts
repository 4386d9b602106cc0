/*
 * Auto-layout: left-to-right layers with dagre, which keeps branches apart and edges short.
 * Only positions change; the graph itself is untouched.
 */
import dagre from '@dagrejs/dagre';
import type { FlowDefinition } from '../../../flows/types';

const NODE_WIDTH = 200;
const NODE_HEIGHT = 72;

export function autoLayout(def: FlowDefinition, sizes: ReadonlyMap<string, { width: number; height: number }> = new Map()): FlowDefinition {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of def.nodes) {
    const size = sizes.get(n.id);
    g.setNode(n.id, { width: size?.width ?? NODE_WIDTH, height: size?.height ?? NODE_HEIGHT });
  }
  for (const e of def.edges) g.setEdge(e.source, e.target, {}, e.id);
  dagre.layout(g);
  return {
    ...def,
    nodes: def.nodes.map((n) => {
      const p = g.node(n.id);
      const size = sizes.get(n.id);
      // dagre gives centres; React Flow positions are top-left corners.
      return p ? { ...n, position: { x: Math.round(p.x - (size?.width ?? NODE_WIDTH) / 2), y: Math.round(p.y - (size?.height ?? NODE_HEIGHT) / 2) } } : n;
    }),
  };
}
