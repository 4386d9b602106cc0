import { type Connection, type Edge, useReactFlow } from '@xyflow/react';
import { useCallback, useMemo, useRef, useState } from 'react';
import { DEFAULT_HANDLE, type FlowDefinition, type Problem } from '../../../flows/types';
import { type BotGraph, graphProblemsOf, publishBotGraph, saveBotGraph, unpublishBotGraph } from '../api/bots';
import { useToast } from '../components/Toasts';
import { CanvasOverlayContext } from '../flow-editor/editor-context';
import { FlowCanvas } from '../flow-editor/FlowCanvas';
import { connectionProblem, edgeId, newNodeId, renameNode } from '../flow-editor/graph';
import { Inspector } from '../flow-editor/Inspector';
import { autoLayout } from '../flow-editor/layout';
import { Palette } from '../flow-editor/Palette';
import { ProblemsList } from '../flow-editor/ProblemsList';
import { useDraftAutosave } from '../flow-editor/use-autosave';
import { useFlowGraph } from '../flow-editor/use-flow-graph';
import { problemsByNode } from '../flow-editor/use-validation';
import { BOT_KIT, botExpressionPaths, useBotGraphProblems } from './bot-kit';
import { BotGraphToolbar } from './BotGraphToolbar';

interface Props {
  orgId: string;
  botId: string;
  goalIds: readonly string[];
  canEdit: boolean;
  graph: BotGraph;
}

/** Palette, canvas and the selected node's form for a bot's conversation graph; the draft saves itself. */
export function BotGraphEditor({ orgId, botId, goalIds, canEdit, graph: loaded }: Props) {
  const flow = useReactFlow();
  const toast = useToast();
  const graph = useFlowGraph(loaded.definition);
  const [publishedVersion, setPublishedVersion] = useState(loaded.publishedVersion);
  const [fitOnOpen] = useState(() => loaded.definition.nodes.length > 0);
  const readOnly = !canEdit;
  const box = useRef<HTMLDivElement>(null);
  const refused = useRef<string>(undefined);

  const definition = graph.definition;
  const definitionRef = useRef(definition);
  definitionRef.current = definition;
  const save = useDraftAutosave(definition, canEdit, loaded.definition, async (def) => void (await saveBotGraph(orgId, botId, def)));
  const local = useBotGraphProblems(definition, goalIds);
  // A refused publish lists the API's problems until the graph changes again.
  const [rejected, setRejected] = useState<{ json: string; problems: Problem[] }>();
  const json = JSON.stringify(definition);
  const problems = rejected?.json === json ? rejected.problems : local.problems;
  const byNode = useMemo(() => problemsByNode(problems), [problems]);
  const overlay = useMemo(() => ({ problems: byNode, statuses: {} }), [byNode]);
  const badEdges = useMemo(() => new Set(problems.filter((p) => p.edgeId && p.severity === 'error').map((p) => p.edgeId!)), [problems]);
  const suggestions = useMemo(() => botExpressionPaths(definition), [definition]);

  const say = useCallback((text: string) => toast.error(new Error(text), 'Not possible'), [toast]);

  const selectedIds = graph.nodes.filter((n) => n.selected).map((n) => n.id);
  const selected = selectedIds.length === 1 ? graph.nodes.find((n) => n.id === selectedIds[0]) : undefined;

  const addNode = useCallback(
    (type: string, at?: { x: number; y: number }) => {
      const def = definitionRef.current;
      const id = newNodeId(type, new Set(def.nodes.map((n) => n.id)));
      const anchor = !at && selectedIds.length === 1 ? def.nodes.find((n) => n.id === selectedIds[0]) : undefined;
      const rect = box.current?.querySelector('.canvas')?.getBoundingClientRect();
      const position = at ?? (anchor
        ? { x: anchor.position.x + 260, y: anchor.position.y }
        : flow.screenToFlowPosition({ x: (rect?.left ?? 0) + (rect?.width ?? 800) / 2 - 100, y: (rect?.top ?? 0) + (rect?.height ?? 600) / 2 - 36 }));
      const next: FlowDefinition = { nodes: [...def.nodes, { id, type, position, data: {} }], edges: def.edges };
      // Added with one node selected: it follows that node's first free output, as in the workflow builder.
      if (anchor) {
        const handle = (BOT_KIT.handlesOf(anchor.type, anchor.data) ?? []).find((h) => !def.edges.some((e) => e.source === anchor.id && (e.sourceHandle || DEFAULT_HANDLE) === h));
        if (handle && !connectionProblem(next, { source: anchor.id, target: id, sourceHandle: handle }, BOT_KIT)) {
          next.edges = [...def.edges, { id: edgeId(anchor.id, handle, id, new Set(def.edges.map((e) => e.id))), source: anchor.id, target: id, sourceHandle: handle }];
        }
      }
      graph.setDefinition(next, { select: [id] });
    },
    [flow, graph, selectedIds],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const def = definitionRef.current;
      const problem = connectionProblem(def, c, BOT_KIT);
      if (problem) return say(problem);
      const handle = c.sourceHandle || DEFAULT_HANDLE;
      const id = edgeId(c.source, handle, c.target, new Set(def.edges.map((e) => e.id)));
      graph.setDefinition({ ...def, edges: [...def.edges, { id, source: c.source, target: c.target, sourceHandle: handle }] });
    },
    [graph, say],
  );

  const isValidConnection = useCallback((c: Connection | Edge) => {
    const problem = connectionProblem(definitionRef.current, c, BOT_KIT);
    refused.current = problem;
    return !problem;
  }, []);

  const layout = useCallback(() => {
    const sizes = new Map(graph.nodes.map((n) => [n.id, { width: n.measured?.width ?? 200, height: n.measured?.height ?? 72 }]));
    graph.setDefinition(autoLayout(definitionRef.current, sizes));
    requestAnimationFrame(() => void flow.fitView({ padding: 0.2, maxZoom: 1.2 }));
  }, [flow, graph]);

  const publish = async () => {
    try {
      await save.flush();
      const published = await publishBotGraph(orgId, botId);
      setRejected(undefined);
      setPublishedVersion(published.version);
      toast.success(`Published version ${published.version}: conversations now follow the graph.`);
    } catch (e) {
      const refusedProblems = graphProblemsOf(e);
      if (refusedProblems) setRejected({ json: JSON.stringify(definitionRef.current), problems: refusedProblems });
      toast.error(e, 'Not published');
    }
  };

  const unpublish = async () => {
    await unpublishBotGraph(orgId, botId);
    setPublishedVersion(null);
    toast.success('The bot converses freely again.');
  };

  const pick = (p: Problem) => {
    if (!p.nodeId) return;
    graph.select([p.nodeId]);
    const node = definitionRef.current.nodes.find((n) => n.id === p.nodeId);
    if (node) void flow.setCenter(node.position.x + 100, node.position.y + 36, { zoom: Math.max(flow.getZoom(), 0.9), duration: 200 });
  };

  const rename = (to: string, from: string): string | undefined => {
    const next = renameNode(definitionRef.current, from, to);
    if (typeof next === 'string') return next;
    graph.setDefinition(next, { select: [to] });
    return undefined;
  };

  // Only the graph's own errors block publishing: a refusal may come from the bot (a goal removed since) and is worth a retry.
  const errorCount = local.errorCount;

  return (
    <div className="bot-graph" ref={box}>
      <BotGraphToolbar
        canEdit={canEdit}
        saveState={save.state}
        publishedVersion={publishedVersion}
        errorCount={errorCount}
        canUndo={graph.canUndo && !readOnly}
        canRedo={graph.canRedo && !readOnly}
        onUndo={graph.undo}
        onRedo={graph.redo}
        onLayout={layout}
        onFit={() => void flow.fitView({ padding: 0.2, maxZoom: 1.2 })}
        onPublish={publish}
        onUnpublish={unpublish}
      />
      <div className="bot-graph-body">
        <Palette onAdd={(type) => addNode(type)} disabled={readOnly} />
        <CanvasOverlayContext value={overlay}>
          <FlowCanvas
            nodes={graph.nodes}
            edges={graph.edges}
            readOnly={readOnly}
            fitOnOpen={fitOnOpen}
            badEdges={badEdges}
            onNodesChange={graph.onNodesChange}
            onEdgesChange={graph.onEdgesChange}
            onConnect={onConnect}
            isValidConnection={isValidConnection}
            onConnectRefused={() => refused.current && say(refused.current)}
            onDropType={(type, at) => addNode(type, at)}
          />
        </CanvasOverlayContext>
        <aside className="side bot-graph-side" aria-label="Selected node">
          {selected ? (
            <Inspector
              key={selected.id}
              nodeId={selected.id}
              type={selected.type ?? ''}
              config={selected.data}
              problems={byNode.get(selected.id) ?? []}
              suggestions={suggestions}
              readOnly={readOnly}
              onChange={(config) => graph.updateConfig(selected.id, config)}
              onRename={(to) => rename(to, selected.id)}
            />
          ) : (
            <p className="muted side-hint">
              {selectedIds.length > 1 ? `${selectedIds.length} nodes selected.` : readOnly ? 'Select a node to see its settings.' : 'Select a node to configure it, or add one from the palette.'}
            </p>
          )}
        </aside>
      </div>
      <ProblemsList problems={problems} checking={false} onPick={pick} />
    </div>
  );
}
