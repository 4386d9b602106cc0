import type { FlowDefinition } from '../../flows/types';
import { connectionProblem, copySelection, newNodeId, pasteClip, removeNodes, renameNode } from '../../web/src/flow-editor/graph';
import { autoLayout } from '../../web/src/flow-editor/layout';
import { nodeStatuses } from '../../web/src/flow-editor/run-status';
import { expressionPaths } from '../../web/src/flow-editor/suggestions';
import type { ExecutionDetail } from '../../web/src/api/flows';

const at = { x: 0, y: 0 };
const def = (): FlowDefinition => ({
  nodes: [
    { id: 'webhook', type: 'trigger.webhook', position: at, data: {} },
    { id: 'check', type: 'logic.if', position: at, data: { condition: '{{ trigger.body.ok }}' } },
    { id: 'set', type: 'data.set', position: at, data: { values: { a: 1 } } },
    { id: 'respond', type: 'flow.respond', position: at, data: {} },
  ],
  edges: [
    { id: 'e1', source: 'webhook', target: 'check', sourceHandle: 'out' },
    { id: 'e2', source: 'check', target: 'set', sourceHandle: 'true' },
  ],
});

describe('connections the canvas accepts while dragging', () => {
  it('accepts an output handle the node has into a node that takes input', () => {
    expect(connectionProblem(def(), { source: 'set', target: 'respond', sourceHandle: 'out' })).toBeUndefined();
    expect(connectionProblem(def(), { source: 'check', target: 'respond', sourceHandle: 'false' })).toBeUndefined();
  });

  it('refuses any edge into a trigger', () => {
    expect(connectionProblem(def(), { source: 'set', target: 'webhook', sourceHandle: 'out' })).toMatch(/trigger/);
  });

  it('refuses a handle the source does not have, a self-loop, a duplicate and a cycle', () => {
    expect(connectionProblem(def(), { source: 'check', target: 'respond', sourceHandle: 'out' })).toMatch(/no "out" output/);
    expect(connectionProblem(def(), { source: 'set', target: 'set', sourceHandle: 'out' })).toMatch(/itself/);
    expect(connectionProblem(def(), { source: 'check', target: 'set', sourceHandle: 'true' })).toMatch(/already connected/);
    expect(connectionProblem(def(), { source: 'set', target: 'check', sourceHandle: 'out' })).toMatch(/cycle/);
  });

  it('follows handles that depend on the config (switch cases)', () => {
    const d = def();
    d.nodes.push({ id: 'route', type: 'logic.switch', position: at, data: { value: 'x', cases: [{ handle: 'gold', equals: 'g' }] } });
    expect(connectionProblem(d, { source: 'route', target: 'respond', sourceHandle: 'gold' })).toBeUndefined();
    expect(connectionProblem(d, { source: 'route', target: 'respond', sourceHandle: 'default' })).toBeUndefined();
    expect(connectionProblem(d, { source: 'route', target: 'respond', sourceHandle: 'silver' })).toMatch(/no "silver" output/);
  });
});

describe('node ids, copy/paste, delete and rename', () => {
  it('names new nodes after their type, numbering repeats', () => {
    expect(newNodeId('data.set', new Set())).toBe('set');
    expect(newNodeId('data.set', new Set(['set', 'set_2']))).toBe('set_3');
  });

  it('pastes the selection with fresh ids, its inner edges rewired and offset positions', () => {
    const d = def();
    const clip = copySelection(d, new Set(['check', 'set']))!;
    expect(clip.edges.map((e) => e.id)).toEqual(['e2']);
    const { definition, pasted } = pasteClip(d, clip);
    expect(pasted).toEqual(['check_2', 'set_2']);
    const edge = definition.edges.at(-1)!;
    expect(edge).toMatchObject({ source: 'check_2', target: 'set_2', sourceHandle: 'true' });
    expect(definition.nodes.find((n) => n.id === 'set_2')!.position).toEqual({ x: 40, y: 40 });
    expect(new Set(definition.edges.map((e) => e.id)).size).toBe(definition.edges.length);
  });

  it('removes nodes with their edges, and renames a node with its edges', () => {
    expect(removeNodes(def(), new Set(['check']))).toEqual({ nodes: def().nodes.filter((n) => n.id !== 'check'), edges: [] });
    const renamed = renameNode(def(), 'check', 'is_ok') as FlowDefinition;
    expect(renamed.edges.map((e) => [e.source, e.target])).toEqual([['webhook', 'is_ok'], ['is_ok', 'set']]);
    expect(renameNode(def(), 'check', 'set')).toMatch(/already a node/);
    expect(renameNode(def(), 'check', 'bad id!')).toMatch(/letters, digits/);
  });
});

describe('auto-layout', () => {
  it('places each node to the right of the nodes before it', () => {
    const laid = autoLayout(def());
    const x = (id: string) => laid.nodes.find((n) => n.id === id)!.position.x;
    expect(x('webhook')).toBeLessThan(x('check'));
    expect(x('check')).toBeLessThan(x('set'));
    expect(laid.edges).toEqual(def().edges);
  });
});

describe('expression autocomplete paths', () => {
  it('offers every node output, and the last run makes them concrete', () => {
    const plain = expressionPaths(def());
    expect(plain).toEqual(expect.arrayContaining(['trigger.body', 'nodes.set.output', 'nodes.check.output', 'vars.item']));
    const withRun = expressionPaths(def(), {
      trigger: { body: { name: 'Ada', tags: [{ id: 1 }] } },
      outputs: { set: { greeting: 'hi', 'odd key': 1 } },
    });
    expect(withRun).toEqual(expect.arrayContaining(['trigger.body.name', 'trigger.body.tags[0].id', 'nodes.set.output.greeting', 'nodes.set.output.`odd key`']));
  });
});

describe('node statuses of a watched run', () => {
  const run = (over: Partial<ExecutionDetail>): ExecutionDetail => ({ status: 'running', steps: [], live: null, ...over }) as ExecutionDetail;

  it('queues every node, then takes recorded steps and live state (loop iterations by node)', () => {
    const statuses = nodeStatuses(def(), run({
      steps: [{ nodeId: 'webhook', status: 'succeeded' } as ExecutionDetail['steps'][number]],
      live: { status: 'running', nodes: { check: { status: 'running' }, 'set#0': { status: 'waiting' } }, waitingApprovals: [] },
    }));
    expect(statuses).toEqual({ webhook: 'succeeded', check: 'running', set: 'waiting', respond: 'pending' });
  });

  it('drops nodes a finished run never reached', () => {
    const statuses = nodeStatuses(def(), run({ status: 'failed', steps: [{ nodeId: 'check', status: 'failed' } as ExecutionDetail['steps'][number]] }));
    expect(statuses).toEqual({ check: 'failed' });
  });
});
