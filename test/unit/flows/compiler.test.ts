import { canonicalJson, compile, type CompileOptions } from '../../../flows/compiler';
import { NODE_TYPES } from '../../../flows/registry';
import type { FlowDefinition, FlowIR, NodeType, Problem } from '../../../flows/types';
import { edge, fixture, node, sha256, WORKFLOW_ID } from './helpers';

const options: CompileOptions = { hash: sha256 };

/** trigger -> set -> call: valid, and the starting point of every rejection below. */
function base(): FlowDefinition {
  return {
    nodes: [
      node('start', 'trigger.manual'),
      node('set', 'data.set', { fields: { a: 1 } }),
      node('call', 'http.request', { method: 'GET', url: 'https://api.example.com/items' }),
    ],
    edges: [edge('e1', 'start', 'set'), edge('e2', 'set', 'call')],
  };
}

function with_(change: (d: FlowDefinition) => void): FlowDefinition {
  const d = base();
  change(d);
  return d;
}

function compiled(definition: unknown, opts: CompileOptions = options): FlowIR {
  const result = compile(definition, opts);
  if (!result.ok) throw new Error(`expected the flow to compile: ${JSON.stringify(result.problems, null, 2)}`);
  return result.ir;
}

/** Problems without their message (which is checked to be present). */
function where(problems: Problem[]): Omit<Problem, 'message'>[] {
  return problems.map(({ message, ...rest }) => {
    expect(message).toEqual(expect.stringMatching(/\S/));
    return rest;
  });
}

/** A node type whose activity is not one flows may call. */
const emailNode = {
  ...NODE_TYPES['data.set'],
  type: 'email.send',
  config: NODE_TYPES['logic.merge']!.config,
  handles: () => ['out'],
  runtime: { kind: 'activity', activity: 'sendEmail' },
} as unknown as NodeType;

type Expected = Omit<Problem, 'message'>;
const error = (p: Omit<Expected, 'severity'>): Expected => ({ ...p, severity: 'error' });
const warning = (p: Omit<Expected, 'severity'>): Expected => ({ ...p, severity: 'warning' });

describe('compiler', () => {
  it('compiles the base flow without problems', () => {
    expect(compile(base(), options)).toMatchObject({ ok: true, problems: [] });
  });

  describe('rejects', () => {
    const cases: [string, FlowDefinition | unknown, Expected[], CompileOptions?][] = [
      ['an unknown node type', with_((d) => d.nodes.push(node('odd', 'logic.maybe'))), [error({ nodeId: 'odd', path: 'type' })].concat([error({ nodeId: 'odd', path: '' })])],
      [
        'an invalid config, one problem per field',
        with_((d) => (d.nodes[2]!.data = { method: 'FETCH', url: 'ftp://files.example.com', timeoutMs: 0 })),
        [error({ nodeId: 'call', path: 'data.method' }), error({ nodeId: 'call', path: 'data.url' }), error({ nodeId: 'call', path: 'data.timeoutMs' })],
      ],
      ['a missing required field', with_((d) => (d.nodes[1]!.data = {})), [error({ nodeId: 'set', path: 'data.fields' })]],
      ['an unknown config field', with_((d) => (d.nodes[1]!.data = { fields: {}, colour: 'red' })), [error({ nodeId: 'set', path: 'data.colour' })]],
      ['a nested config error', with_((d) => (d.nodes[2]!.data = { method: 'GET', url: 'https://x.example.com', retry: { maximumAttempts: 11 } })), [error({ nodeId: 'call', path: 'data.retry.maximumAttempts' })]],
      [
        'a retry whose maximum interval is below its initial interval',
        with_((d) => (d.nodes[2]!.data = { method: 'GET', url: 'https://x.example.com', retry: { maximumIntervalMs: 500 } })),
        [error({ nodeId: 'call', path: 'data.retry.maximumIntervalMs' })],
      ],
      ['a duplicate node id', with_((d) => d.nodes.push(node('set', 'data.set', { fields: {} }))), [error({ nodeId: 'set', path: 'id' })]],
      ['a duplicate edge id', with_((d) => d.edges.push(edge('e2', 'start', 'call'))), [error({ edgeId: 'e2', path: 'id' })]],
      ['an edge from a missing node', with_((d) => d.edges.push(edge('e3', 'ghost', 'call'))), [error({ edgeId: 'e3', path: 'source' })]],
      ['an edge to a missing node', with_((d) => d.edges.push(edge('e3', 'call', 'ghost'))), [error({ edgeId: 'e3', path: 'target' })]],
      ['the same link twice', with_((d) => d.edges.push(edge('e3', 'set', 'call', 'out'))), [error({ edgeId: 'e3', path: '' })]],
      [
        'an edge from a handle the node does not have',
        with_((d) => {
          d.nodes.push(node('check', 'logic.if', { condition: true }), node('more', 'data.set', { fields: {} }));
          d.edges.push(edge('e3', 'call', 'check'), edge('e4', 'check', 'more', 'maybe'));
        }),
        [error({ edgeId: 'e4', path: 'sourceHandle' })],
      ],
      [
        'an edge without a handle from a node that has no default handle',
        with_((d) => {
          d.nodes.push(node('check', 'logic.if', { condition: true }), node('more', 'data.set', { fields: {} }));
          d.edges.push(edge('e3', 'call', 'check'), edge('e4', 'check', 'more'));
        }),
        [error({ edgeId: 'e4', path: 'sourceHandle' })],
      ],
      [
        'an edge out of a node that ends the run',
        with_((d) => {
          d.nodes.push(node('fail', 'flow.error', { message: 'no' }), node('more', 'data.set', { fields: {} }));
          d.edges.push(edge('e3', 'call', 'fail'), edge('e4', 'fail', 'more'));
        }),
        [error({ edgeId: 'e4', path: 'sourceHandle' })],
      ],
      ['an error edge from a node without an error handle', with_((d) => d.edges.push(edge('e3', 'set', 'call', 'error'))), [error({ edgeId: 'e3', path: 'sourceHandle' })]],
      [
        'an edge into a trigger',
        with_((d) => d.edges.push(edge('e3', 'call', 'start', 'out'))),
        [error({ edgeId: 'e3', path: 'target' }), error({ nodeId: 'call', nodeIds: ['call', 'set', 'start'], path: '' })],
      ],
      ['a flow without a trigger', with_((d) => d.nodes.splice(0, 1) && d.edges.splice(0, 1)), [error({ path: '' })]],
      [
        'a flow with two triggers',
        with_((d) => {
          d.nodes.push(node('hook', 'trigger.webhook'));
          d.edges.push(edge('e3', 'hook', 'set'));
        }),
        [error({ nodeId: 'start', path: '' }), error({ nodeId: 'hook', path: '' })],
      ],
      ['an unreachable node', with_((d) => d.nodes.push(node('island', 'data.set', { fields: {} }))), [error({ nodeId: 'island', path: '' })]],
      [
        'a template that does not parse',
        with_((d) => (d.nodes[1]!.data = { fields: { a: 'x {{ trigger.( }}' } })),
        [error({ nodeId: 'set', path: 'data.fields.a' })],
      ],
      [
        'an unclosed template inside a list',
        with_((d) => {
          d.nodes.push(node('route', 'logic.switch', { value: 1, cases: [{ handle: 'one', equals: '{{ 1 + ' }] }));
          d.edges.push(edge('e3', 'call', 'route'));
        }),
        [error({ nodeId: 'route', path: 'data.cases.0.equals' })],
      ],
      [
        'a cycle',
        with_((d) => {
          d.nodes.push(node('again', 'data.set', { fields: {} }));
          d.edges.push(edge('e3', 'call', 'again'), edge('e4', 'again', 'set'));
        }),
        [error({ nodeId: 'again', nodeIds: ['again', 'call', 'set'], path: '' })],
      ],
      ['a node linked to itself', with_((d) => d.edges.push(edge('e3', 'set', 'set'))), [error({ nodeId: 'set', nodeIds: ['set'], path: '' })]],
      [
        'a loop body that leads back to the loop',
        with_((d) => {
          d.nodes.push(node('each', 'logic.loop', { items: '{{ trigger.items }}' }), node('step', 'data.set', { fields: {} }));
          d.edges.push(edge('e3', 'call', 'each'), edge('e4', 'each', 'step', 'body'), edge('e5', 'step', 'each'));
        }),
        [error({ nodeId: 'each', nodeIds: ['each', 'step'], path: '' }), error({ edgeId: 'e5', path: 'target' })],
      ],
      [
        'an edge into a loop body from outside',
        with_((d) => {
          d.nodes.push(node('each', 'logic.loop', { items: '{{ trigger.items }}' }), node('step', 'data.set', { fields: {} }));
          d.edges.push(edge('e3', 'call', 'each'), edge('e4', 'each', 'step', 'body'), edge('e5', 'set', 'step'));
        }),
        [error({ edgeId: 'e5', path: 'target' })],
      ],
      [
        'a loop whose "done" handle leads into its body',
        with_((d) => {
          d.nodes.push(node('each', 'logic.loop', { items: '{{ trigger.items }}' }), node('step', 'data.set', { fields: {} }), node('next', 'data.set', { fields: {} }));
          d.edges.push(edge('e3', 'call', 'each'), edge('e4', 'each', 'step', 'body'), edge('e5', 'step', 'next'), edge('e6', 'each', 'next', 'done'));
        }),
        [error({ edgeId: 'e6', path: 'target' })],
      ],
      [
        'a subflow naming a workflow the organization does not have',
        with_((d) => {
          d.nodes.push(node('sub', 'flow.subflow', { workflowId: WORKFLOW_ID }));
          d.edges.push(edge('e3', 'call', 'sub'));
        }),
        [error({ nodeId: 'sub', path: 'data.workflowId' })],
        { ...options, knownWorkflowIds: new Set(['0f8fad5b-d9cb-469f-a165-70867728950e']) },
      ],
      [
        'a subflow running its own workflow',
        with_((d) => {
          d.nodes.push(node('sub', 'flow.subflow', { workflowId: WORKFLOW_ID }));
          d.edges.push(edge('e3', 'call', 'sub'));
        }),
        [error({ nodeId: 'sub', path: 'data.workflowId' })],
        { ...options, knownWorkflowIds: new Set([WORKFLOW_ID]), selfWorkflowId: WORKFLOW_ID },
      ],
      [
        'a node whose activity the worker does not register',
        with_((d) => {
          d.nodes.push(node('mail', 'email.send', {}));
          d.edges.push(edge('e3', 'call', 'mail'));
        }),
        [error({ nodeId: 'mail', path: '' })],
        { ...options, nodeTypes: { ...NODE_TYPES, 'email.send': emailNode } },
      ],
      [
        'a definition of the wrong shape, pinned to the node or edge',
        {
          nodes: [{ id: 'start', type: 'trigger.manual', position: { x: 0, y: Number.POSITIVE_INFINITY }, data: {} }, { id: 'bad id', type: 'data.set', position: { x: 0, y: 0 }, data: [] }],
          edges: [{ id: 'e1', source: 'start' }],
        },
        [
          error({ nodeId: 'start', path: 'nodes.0.position.y' }),
          error({ path: 'nodes.1.id', nodeId: 'bad id' }),
          error({ path: 'nodes.1.data', nodeId: 'bad id' }),
          error({ edgeId: 'e1', path: 'edges.0.target' }),
        ],
      ],
      ['something that is not a definition', 'nodes', [error({ path: '' })]],
      [
        'a definition with more than 500 nodes',
        { nodes: Array.from({ length: 501 }, (_, i) => node(`n${i}`, 'data.set', { fields: {} })), edges: [] },
        [error({ path: 'nodes' })],
      ],
      [
        'node data nested too deeply',
        with_((d) => (d.nodes[1]!.data = { fields: nested(40) })),
        [error({ nodeId: 'set', path: 'nodes.1.data' })],
      ],
    ];

    // A plain loop rather than it.each: jest formats each's arguments, and options holding
    // zod schemas are too big to print.
    for (const [name, definition, expected, opts] of cases) {
      it(name, () => {
        const result = compile(definition, opts ?? options);
        expect(result.ok).toBe(false);
        expect(where(result.problems)).toEqual(expected);
      });
    }
  });

  describe('warns, but compiles', () => {
    it.each([
      [
        'an expression reading a node that does not exist',
        with_((d) => (d.nodes[2]!.data = { method: 'GET', url: 'https://x.example.com/{{ nodes.ghost.output.id }}' })),
        [warning({ nodeId: 'call', path: 'data.url' })],
      ],
      [
        'a respond node when the trigger is not a sync webhook',
        with_((d) => {
          d.nodes.push(node('reply', 'flow.respond', {}));
          d.edges.push(edge('e3', 'call', 'reply'));
        }),
        [warning({ nodeId: 'reply', path: '' })],
      ],
      [
        'a merge with a single incoming branch',
        with_((d) => {
          d.nodes.push(node('join', 'logic.merge'));
          d.edges.push(edge('e3', 'call', 'join'));
        }),
        [warning({ nodeId: 'join', path: '' })],
      ],
      [
        'a loop with nothing in its body',
        with_((d) => {
          d.nodes.push(node('each', 'logic.loop', { items: [1, 2] }));
          d.edges.push(edge('e3', 'call', 'each'));
        }),
        [warning({ nodeId: 'each', path: '' })],
      ],
    ])('%s', (_name, definition, expected) => {
      const result = compile(definition, options);
      expect(result.ok).toBe(true);
      expect(where(result.problems)).toEqual(expected);
    });
  });

  it('reports every problem at once, not only the first', () => {
    const result = compile(
      with_((d) => {
        d.nodes.push(node('odd', 'nope'), node('island', 'data.set', { fields: {} }));
        d.edges.push(edge('e3', 'ghost', 'set'));
      }),
      options,
    );
    expect(where(result.problems)).toEqual([
      error({ nodeId: 'odd', path: 'type' }),
      error({ edgeId: 'e3', path: 'source' }),
      error({ nodeId: 'odd', path: '' }),
      error({ nodeId: 'island', path: '' }),
    ]);
  });

  it('never throws, even when the hash function does', () => {
    const result = compile(base(), {
      hash: () => {
        throw new Error('no hash today');
      },
    });
    expect(result).toEqual({ ok: false, problems: [expect.objectContaining({ path: '', severity: 'error', message: expect.stringContaining('no hash today') })] });
  });

  describe('IR', () => {
    it('compiles a linear flow: defaults applied, React Flow keys dropped, retry merged over the defaults', () => {
      const ir = compiled(fixture('linear'));
      expect(ir).toMatchObject({ irVersion: 1, triggerId: 'hook', triggerType: 'trigger.webhook', subflows: [] });
      expect(Object.keys(ir.nodes)).toEqual(['hook', 'contact', 'crm', 'reply']);
      expect(ir.nodes.hook).toEqual({
        id: 'hook',
        type: 'trigger.webhook',
        version: 1,
        config: { mode: 'sync', responseTimeoutMs: 30_000, idempotencyField: 'event.id', requireSignature: false },
        next: { out: ['contact'] },
        incoming: [],
      });
      expect(ir.nodes.crm).toMatchObject({
        next: { out: ['reply'], error: [] },
        incoming: ['contact'],
        retry: { maximumAttempts: 5, initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 30_000 },
        timeoutMs: 30_000,
        config: { method: 'POST', headers: { Authorization: 'Bearer {{ vars.token }}' }, query: {}, timeoutMs: 30_000 },
      });
      expect(ir.nodes.reply).toMatchObject({ config: { status: 201 }, next: { out: [] }, incoming: ['crm'] });
      expect(ir.nodes.contact).not.toHaveProperty('retry');
      expect(JSON.stringify(ir)).not.toMatch(/position|selected|measured|style|animated|smoothstep/);
      expect(ir.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('compiles if/else into its two handles', () => {
      const ir = compiled(fixture('if-else'));
      expect(ir.nodes.big?.next).toEqual({ true: ['vip'], false: ['std'] });
      expect(ir.nodes.vip?.incoming).toEqual(['big']);
    });

    it('compiles a switch into its case handles and default', () => {
      const ir = compiled(fixture('switch'));
      expect(ir.nodes.route?.next).toEqual({ lead: ['a'], won: ['b'], default: ['c'] });
      expect(ir.triggerType).toBe('trigger.event');
    });

    it('compiles a merge with the branches it waits for', () => {
      const ir = compiled(fixture('merge'));
      expect(ir.nodes.join).toMatchObject({ incoming: ['left', 'right'], next: { out: ['after'] } });
    });

    it('compiles nested loops with their bodies', () => {
      const result = compile(fixture('loop'), options);
      expect(result).toMatchObject({ ok: true, problems: [] });
      const ir = (result as { ir: FlowIR }).ir;
      expect(ir.nodes.orders).toMatchObject({
        config: { items: '{{ trigger.orders }}', maxItems: 1_000, concurrency: 2 },
        next: { body: ['prepare'], done: ['report'] },
        body: { entry: ['prepare'], nodes: ['lines', 'post', 'prepare', 'tally'] },
      });
      expect(ir.nodes.lines).toMatchObject({ next: { body: ['post'], done: ['tally'] }, body: { entry: ['post'], nodes: ['post'] } });
      expect(ir.nodes.report).not.toHaveProperty('body');
    });

    it('compiles an approval with its three handles', () => {
      const ir = compiled(fixture('approval'));
      expect(ir.nodes.ask).toMatchObject({
        config: { approverRoles: ['owner'], timeout: '2d' },
        next: { approved: ['refund'], rejected: ['declined'], timeout: ['late'] },
      });
      expect(ir.nodes.late?.next).toEqual({});
    });

    it('compiles an http request with an error handle, and lists subflows', () => {
      const ir = compiled(fixture('http-error'), { ...options, knownWorkflowIds: new Set([WORKFLOW_ID]) });
      expect(ir.nodes.call).toMatchObject({ next: { out: ['ok'], error: ['failed'] }, timeoutMs: 5_000, config: { expectedStatus: [200, 304] } });
      expect(ir.nodes.failed).toMatchObject({ retry: { maximumAttempts: 3 }, timeoutMs: 120_000, next: { out: ['wait'], error: [] } });
      expect(ir.nodes.again).toMatchObject({ config: { wait: true }, next: { out: [] } });
      expect(ir.subflows).toEqual([WORKFLOW_ID]);
    });

    it('sorts targets and sources whatever the edge order', () => {
      const d = fixture('merge');
      d.edges.push({ id: 'e7', source: 'check', target: 'after', sourceHandle: 'true' });
      d.edges.reverse();
      const ir = compiled(d);
      expect(ir.nodes.check?.next).toEqual({ true: ['after', 'left'], false: ['right'] });
      expect(ir.nodes.after?.incoming).toEqual(['check', 'join']);
    });
  });

  describe('hash', () => {
    const hashOf = (d: unknown) => compiled(d).hash;

    it('is stable when nodes move, when keys or array order change, and when edges are renamed', () => {
      const original = fixture('loop');
      const moved = fixture('loop');
      moved.nodes.forEach((n, i) => (n.position = { x: 1000 - i * 37.5, y: i * 12 }));
      moved.nodes.reverse();
      moved.edges.reverse();
      moved.edges.forEach((e, i) => (e.id = `edge-${i}`));
      const reordered = JSON.parse(JSON.stringify(fixture('loop'), (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v))) as unknown;
      expect(hashOf(moved)).toBe(hashOf(original));
      expect(hashOf(reordered)).toBe(hashOf(original));
      expect(hashOf(original)).toBe(hashOf(fixture('loop')));
    });

    it('changes with a config change, a new edge or a new node', () => {
      const original = hashOf(fixture('if-else'));
      const config = fixture('if-else');
      config.nodes[1]!.data = { condition: '{{ trigger.amount > 200 }}' };
      const edged = fixture('if-else');
      edged.edges.push({ id: 'e4', source: 'big', target: 'std', sourceHandle: 'true' });
      const grown = fixture('if-else');
      grown.nodes.push(node('more', 'data.set', { fields: {} }));
      grown.edges.push(edge('e4', 'vip', 'more'));
      const hashes = [original, hashOf(config), hashOf(edged), hashOf(grown)];
      expect(new Set(hashes).size).toBe(4);
    });

    it('is the hash of the canonical JSON of the IR without its hash', () => {
      const ir = compiled(fixture('switch'));
      const { hash, ...rest } = ir;
      expect(hash).toBe(sha256(canonicalJson(rest)));
    });
  });

  describe('canonicalJson', () => {
    it('sorts keys at every level and keeps array order', () => {
      expect(canonicalJson({ b: [3, { z: 1, a: 2 }], a: 'x', u: undefined })).toBe('{"a":"x","b":[3,{"a":2,"z":1}]}');
    });
  });
});

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < depth; i++) value = { child: value };
  return value;
}
