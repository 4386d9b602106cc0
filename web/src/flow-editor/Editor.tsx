import { type Connection, type Edge, useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { handlesOf } from '../../../flows/registry';
import { DEFAULT_HANDLE, type FlowDefinition, type Problem } from '../../../flows/types';
import { testRunWorkflow, updateWorkflow, type WorkflowDetail, type WorkflowVersionDetail } from '../api/flows';
import type { Membership } from '../api/types';
import { useToast } from '../components/Toasts';
import { may } from '../permissions';
import { CanvasOverlayContext } from './editor-context';
import { EditorHeader } from './EditorHeader';
import { FlowCanvas } from './FlowCanvas';
import { type Clip, connectionProblem, copySelection, edgeId, newNodeId, pasteClip, removeNodes, renameNode } from './graph';
import { Inspector } from './Inspector';
import { autoLayout } from './layout';
import { Palette } from './Palette';
import { ProblemsList } from './ProblemsList';
import { SidePanels, type SideTab } from './SidePanels';
import { expressionPaths } from './suggestions';
import { useAutosave } from './use-autosave';
import { useFlowGraph } from './use-flow-graph';
import { useShortcuts } from './use-shortcuts';
import { useWatchedRun } from './use-test-run';
import { useValidation } from './use-validation';

const CLIPBOARD_KEY = 'flowline.clipboard';

export interface EditorProps {
  orgId: string;
  membership: Membership;
  workflow: WorkflowDetail;
  onWorkflow: (w: WorkflowDetail) => void;
}

/** The builder: palette, canvas, the selected node's form, problems, and the run/publish panels. */
export function Editor({ orgId, membership, workflow, onWorkflow }: EditorProps) {
  const canEdit = may(membership, 'workflows', 'update');
  const canRun = may(membership, 'executions', 'create');
  const flow = useReactFlow();
  const graph = useFlowGraph(workflow.definition);
  const [viewing, setViewing] = useState<WorkflowVersionDetail>();
  const readOnly = !canEdit || !!viewing;
  const [tab, setTab] = useState<SideTab>('node');
  const [runBusy, setRunBusy] = useState(false);
  const [versionsKey, setVersionsKey] = useState(0);
  const refused = useRef<string>(undefined);
  const [fitOnOpen] = useState(() => workflow.definition.nodes.length > 0);

  const definition = graph.definition;
  const definitionRef = useRef(definition);
  definitionRef.current = definition;
  const save = useAutosave(orgId, workflow.id, definition, canEdit && !viewing, workflow.definition, onWorkflow);
  const validation = useValidation(orgId, workflow.id, definition, workflow.draftProblems);
  const watched = useWatchedRun(orgId, definition);

  const toast = useToast();
  const say = useCallback((text: string, kind: 'error' | 'info' = 'error') => (kind === 'error' ? toast.error(new Error(text), 'Not possible') : toast.success(text)), [toast]);
  const fail = useCallback((e: unknown) => toast.error(e), [toast]);

  // An old version opened read-only keeps its own selection: its nodes are not the draft's.
  const [viewSelected, setViewSelected] = useState<string[]>([]);
  const selectedIds = viewing ? viewSelected : graph.nodes.filter((n) => n.selected).map((n) => n.id);
  const selectedNodes = viewing ? viewing.definition.nodes : graph.nodes;
  const selected = selectedIds.length === 1 ? selectedNodes.find((n) => n.id === selectedIds[0]) : undefined;
  // Choosing a node on the canvas shows its panel (its form and its last run).
  const selectedId = selected?.id;
  useEffect(() => {
    if (selectedId) setTab('node');
  }, [selectedId]);

  // ---- Graph edits -------------------------------------------------------------------
  const addNode = useCallback(
    (type: string, at?: { x: number; y: number }) => {
      const def = definitionRef.current;
      const id = newNodeId(type, new Set(def.nodes.map((n) => n.id)));
      const anchor = !at && selectedIds.length === 1 ? def.nodes.find((n) => n.id === selectedIds[0]) : undefined;
      const box = document.querySelector('.canvas')?.getBoundingClientRect();
      const position = at ?? (anchor
        ? { x: anchor.position.x + 260, y: anchor.position.y }
        : flow.screenToFlowPosition({ x: (box?.left ?? 0) + (box?.width ?? 800) / 2 - 100, y: (box?.top ?? 0) + (box?.height ?? 600) / 2 - 36 }));
      const next: FlowDefinition = { nodes: [...def.nodes, { id, type, position, data: {} }], edges: def.edges };
      // Added from the palette with one node selected: it follows that node, as in n8n.
      if (anchor) {
        const handle = (handlesOf(anchor.type, anchor.data) ?? [DEFAULT_HANDLE])[0];
        if (handle && !connectionProblem(next, { source: anchor.id, target: id, sourceHandle: handle })) {
          next.edges = [...def.edges, { id: edgeId(anchor.id, handle, id, new Set(def.edges.map((e) => e.id))), source: anchor.id, target: id, sourceHandle: handle }];
        }
      }
      graph.setDefinition(next, { select: [id] });
      setTab('node');
    },
    [flow, graph, selectedIds],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const def = definitionRef.current;
      const problem = connectionProblem(def, c);
      if (problem) return say(problem);
      const handle = c.sourceHandle || DEFAULT_HANDLE;
      const id = edgeId(c.source, handle, c.target, new Set(def.edges.map((e) => e.id)));
      graph.setDefinition({ ...def, edges: [...def.edges, { id, source: c.source, target: c.target, sourceHandle: handle }] });
    },
    [graph, say],
  );

  const isValidConnection = useCallback((c: Connection | Edge) => {
    const problem = connectionProblem(definitionRef.current, c);
    refused.current = problem;
    return !problem;
  }, []);

  const copy = useCallback(() => {
    const clip = copySelection(definitionRef.current, new Set(selectedIds));
    if (clip) localStorage.setItem(CLIPBOARD_KEY, JSON.stringify(clip));
    return clip;
  }, [selectedIds]);

  const paste = useCallback(() => {
    const raw = localStorage.getItem(CLIPBOARD_KEY);
    if (!raw || readOnly) return;
    try {
      const { definition: next, pasted } = pasteClip(definitionRef.current, JSON.parse(raw) as Clip);
      graph.setDefinition(next, { select: pasted });
    } catch {
      say('The clipboard does not hold nodes.');
    }
  }, [graph, readOnly, say]);

  const remove = useCallback(() => {
    if (readOnly || selectedIds.length === 0) return;
    graph.setDefinition(removeNodes(definitionRef.current, new Set(selectedIds)), { select: [] });
  }, [graph, readOnly, selectedIds]);

  const layout = useCallback(() => {
    const sizes = new Map(graph.nodes.map((n) => [n.id, { width: n.measured?.width ?? 200, height: n.measured?.height ?? 72 }]));
    graph.setDefinition(autoLayout(definitionRef.current, sizes));
    requestAnimationFrame(() => void flow.fitView({ padding: 0.2, maxZoom: 1.2 }));
  }, [flow, graph]);

  const fit = useCallback(() => void flow.fitView({ padding: 0.2, maxZoom: 1.2 }), [flow]);

  useShortcuts({
    enabled: true,
    undo: readOnly ? undefined : graph.undo,
    redo: readOnly ? undefined : graph.redo,
    copy,
    cut: readOnly ? undefined : () => copy() && remove(),
    paste: readOnly ? undefined : paste,
    duplicate: readOnly ? undefined : () => copy() && paste(),
    selectAll: () => graph.select(definitionRef.current.nodes.map((n) => n.id)),
    save: readOnly ? undefined : () => void save.flush().catch(fail),
    fit,
    layout: readOnly ? undefined : layout,
    escape: () => graph.select([]),
  });

  // ---- Runs ------------------------------------------------------------------------------
  const runTest = async (payload: unknown) => {
    setRunBusy(true);
    try {
      await save.flush();
      const started = await testRunWorkflow(orgId, workflow.id, payload);
      watched.watch(started.executionId);
      onWorkflow({ ...workflow, testPayload: payload });
    } catch (e) {
      fail(e);
    } finally {
      setRunBusy(false);
    }
  };

  const pick = (p: Problem) => {
    if (!p.nodeId) return;
    graph.select([p.nodeId]);
    setTab('node');
    const node = definitionRef.current.nodes.find((n) => n.id === p.nodeId);
    if (node) void flow.setCenter(node.position.x + 100, node.position.y + 36, { zoom: Math.max(flow.getZoom(), 0.9), duration: 200 });
  };

  const rename = (from: string, to: string): string | undefined => {
    const next = renameNode(definitionRef.current, from, to);
    if (typeof next === 'string') return next;
    graph.setDefinition(next, { select: [to] });
    return undefined;
  };

  const renameWorkflow = async (name: string) => {
    try {
      onWorkflow(await updateWorkflow(orgId, workflow.id, { name }));
    } catch (e) {
      fail(e);
    }
  };

  // ---- What the canvas shows -------------------------------------------------------------
  const shownDefinition = viewing?.definition;
  const shown = useMemo(() => {
    if (!shownDefinition) return { nodes: graph.nodes, edges: graph.edges };
    return {
      nodes: shownDefinition.nodes.map((n) => ({ id: n.id, type: n.type, position: n.position, data: n.data, selected: selectedIds.includes(n.id) })),
      edges: shownDefinition.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, sourceHandle: e.sourceHandle ?? DEFAULT_HANDLE })),
    };
  }, [shownDefinition, graph.nodes, graph.edges, selectedIds]);
  const badEdges = useMemo(() => new Set(validation.problems.filter((p) => p.edgeId && p.severity === 'error').map((p) => p.edgeId!)), [validation.problems]);
  const overlay = useMemo(() => ({ problems: viewing ? new Map() : validation.byNode, statuses: viewing ? {} : watched.statuses }), [viewing, validation.byNode, watched.statuses]);
  const suggestions = useMemo(() => expressionPaths(definition, watched.runData), [definition, watched.runData]);
  const selectedConfig = selected?.data;

  return (
    <div className="editor">
      <EditorHeader
        orgId={orgId}
        workflow={workflow}
        saveState={save.state}
        errorCount={validation.errorCount}
        canEdit={canEdit}
        viewing={viewing}
        canUndo={graph.canUndo && !readOnly}
        canRedo={graph.canRedo && !readOnly}
        onUndo={graph.undo}
        onRedo={graph.redo}
        onLayout={layout}
        onFit={fit}
        onRename={renameWorkflow}
        onBeforePublish={() => save.flush()}
        onPublished={(w, version) => {
          onWorkflow(w);
          setVersionsKey((k) => k + 1);
          say(`Published version ${version}.`, 'info');
        }}
        onLeaveVersion={() => setViewing(undefined)}
        onError={fail}
      />
      <div className="editor-body">
        <Palette onAdd={(type) => addNode(type)} disabled={readOnly} />
        <CanvasOverlayContext value={overlay}>
          <FlowCanvas
            nodes={shown.nodes}
            edges={shown.edges}
            readOnly={readOnly}
            fitOnOpen={fitOnOpen}
            badEdges={viewing ? new Set() : badEdges}
            onNodesChange={
              viewing
                ? (changes) => setViewSelected((ids) => changes.reduce((acc, c) => (c.type !== 'select' ? acc : c.selected ? [...acc.filter((id) => id !== c.id), c.id] : acc.filter((id) => id !== c.id)), ids))
                : graph.onNodesChange
            }
            onEdgesChange={viewing ? undefined : graph.onEdgesChange}
            onConnect={onConnect}
            isValidConnection={isValidConnection}
            onConnectRefused={() => refused.current && say(refused.current)}
            onDropType={(type, at) => addNode(type, at)}
          />
        </CanvasOverlayContext>
        <SidePanels
          tab={tab}
          onTab={setTab}
          orgId={orgId}
          workflow={workflow}
          canEdit={canEdit}
          canRun={canRun}
          versionsKey={versionsKey}
          onOpenVersion={(v) => {
            setViewing(v);
            setViewSelected([]);
            graph.select([]);
          }}
          onRestored={(w) => {
            setViewing(undefined);
            onWorkflow(w);
            graph.setDefinition(w.definition);
            say('The draft now holds the restored version.', 'info');
          }}
          node={
            selected && selectedConfig ? (
              <Inspector
                key={selected.id}
                nodeId={selected.id}
                type={selected.type ?? ''}
                config={selectedConfig}
                problems={validation.byNode.get(selected.id) ?? []}
                suggestions={suggestions}
                steps={(watched.run?.steps ?? []).filter((s) => s.nodeId === selected.id)}
                readOnly={readOnly}
                onChange={(config) => graph.updateConfig(selected.id, config)}
                onRename={(to) => rename(selected.id, to)}
              />
            ) : (
              <p className="muted side-hint">
                {selectedIds.length > 1 ? `${selectedIds.length} nodes selected.` : 'Select a node to configure it, or drag one in from the palette.'}
              </p>
            )
          }
          testRun={{
            initialPayload: workflow.testPayload,
            run: watched.run,
            busy: runBusy,
            blocked: validation.errorCount > 0 ? 'Fix the problems listed below before running.' : undefined,
            onRun: runTest,
          }}
        />
      </div>
      <ProblemsList problems={viewing ? [] : validation.problems} checking={validation.checking} onPick={pick} />
    </div>
  );
}
