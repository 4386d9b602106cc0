import {
  Background,
  type Connection,
  Controls,
  type Edge,
  type EdgeChange,
  MiniMap,
  type NodeChange,
  type NodeTypes,
  ReactFlow,
  useReactFlow,
} from '@xyflow/react';
import { type DragEvent, useMemo } from 'react';
import { FlowNodeCard } from './FlowNodeCard';
import { type NodeKit, useNodeKit } from './node-kit';
import { NODE_DRAG_TYPE } from './Palette';
import type { FlowNode } from './use-flow-graph';

// Every type of the kit draws with the same card; the card reads its type from the kit. Kept per
// kit: React Flow warns when nodeTypes changes identity between renders.
const nodeTypesByKit = new WeakMap<NodeKit, NodeTypes>();
function nodeTypesOf(kit: NodeKit): NodeTypes {
  let types = nodeTypesByKit.get(kit);
  if (!types) nodeTypesByKit.set(kit, (types = Object.fromEntries(kit.catalog.map((t) => [t.type, FlowNodeCard]))));
  return types;
}

interface Props {
  nodes: FlowNode[];
  edges: Edge[];
  readOnly: boolean;
  /** Fit the graph into view on opening; an empty canvas keeps its zoom, so the first node lands where dropped. */
  fitOnOpen: boolean;
  /** Edges the compiler complains about, drawn in red. */
  badEdges: ReadonlySet<string>;
  onNodesChange?: (changes: NodeChange<FlowNode>[]) => void;
  onEdgesChange?: (changes: EdgeChange[]) => void;
  onConnect?: (c: Connection) => void;
  isValidConnection?: (c: Connection | Edge) => boolean;
  onConnectRefused?: () => void;
  onDropType?: (type: string, position: { x: number; y: number }) => void;
}

export function FlowCanvas({ nodes, edges, readOnly, fitOnOpen, badEdges, onNodesChange, onEdgesChange, onConnect, isValidConnection, onConnectRefused, onDropType }: Props) {
  const flow = useReactFlow();
  const nodeTypes = nodeTypesOf(useNodeKit());
  const styledEdges = useMemo(
    () => edges.map((e) => (badEdges.has(e.id) ? { ...e, className: 'edge-bad', animated: true } : e)),
    [edges, badEdges],
  );

  const onDragOver = (e: DragEvent) => {
    if (readOnly || !e.dataTransfer.types.includes(NODE_DRAG_TYPE)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
  };
  const onDrop = (e: DragEvent) => {
    const type = e.dataTransfer.getData(NODE_DRAG_TYPE);
    if (readOnly || !type) return;
    e.preventDefault();
    onDropType?.(type, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
  };

  return (
    <div className="canvas" onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
      <ReactFlow
        nodes={nodes}
        edges={styledEdges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        onConnectEnd={(_, state) => {
          if (state.toHandle && !state.isValid) onConnectRefused?.();
        }}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        elementsSelectable
        deleteKeyCode={readOnly ? null : ['Backspace', 'Delete']}
        multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
        defaultEdgeOptions={{ type: 'smoothstep' }}
        fitView={fitOnOpen}
        fitViewOptions={{ maxZoom: 1.2, padding: 0.2 }}
        minZoom={0.2}
      >
        <Background gap={16} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable ariaLabel="Mini map" />
      </ReactFlow>
    </div>
  );
}
