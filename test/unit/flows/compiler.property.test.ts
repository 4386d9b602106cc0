import fc from 'fast-check';
import { canonicalJson, compile, type CompileOptions } from '../../../flows/compiler';
import { NODE_TYPES } from '../../../flows/registry';
import type { CompileResult, DefinitionEdge, DefinitionNode, FlowDefinition } from '../../../flows/types';
import { GOOD_CONFIGS, sha256, WORKFLOW_ID } from './helpers';

const options: CompileOptions = { hash: sha256, knownWorkflowIds: new Set([WORKFLOW_ID]) };
const KNOWN_TYPES = Object.keys(NODE_TYPES);
const NODE_IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
const HANDLES = ['out', 'error', 'true', 'false', 'body', 'done', 'default', 'approved', 'rejected', 'timeout', 'a', 'b', 'nope'];

// ---------------------------------------------------------------------------------------
// Arbitrary graphs: anything goes (unknown types, garbage data, dangling/self/duplicate edges).
// ---------------------------------------------------------------------------------------
const nodeId = fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...NODE_IDS) }, { weight: 1, arbitrary: fc.constantFrom('bad id', '', 'x'.repeat(65)) });
const nodeType = fc.oneof({ weight: 10, arbitrary: fc.constantFrom(...KNOWN_TYPES) }, { weight: 1, arbitrary: fc.constantFrom('unknown.type', 'toString', '__proto__', '') });

const garbageTemplate = fc.string().map((s) => `{{ ${s}`);
const dataFor = (type: string): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(GOOD_CONFIGS[type] ?? {}) },
    { weight: 2, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }) },
    { weight: 1, arbitrary: fc.record({ fields: fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(garbageTemplate, fc.constant('{{ nodes.zz.output }}'))) }) },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
  );

const anyNode: fc.Arbitrary<unknown> = fc.tuple(nodeId, nodeType).chain(([id, type]) =>
  fc.record({
    id: fc.constant(id),
    type: fc.constant(type),
    position: fc.oneof({ weight: 10, arbitrary: fc.record({ x: fc.integer(), y: fc.integer() }) }, { weight: 1, arbitrary: fc.record({ x: fc.double(), y: fc.double() }) }),
    data: dataFor(type),
    selected: fc.boolean(),
  }),
);

const anyEdge: fc.Arbitrary<unknown> = fc.record(
  {
    id: fc.constantFrom('e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9', 'e10', 'e11', 'e12'),
    source: fc.oneof(nodeId, fc.constant('ghost')),
    target: fc.oneof(nodeId, fc.constant('ghost')),
    sourceHandle: fc.oneof(fc.constantFrom(...HANDLES), fc.constant(null)),
  },
  { requiredKeys: ['id', 'source', 'target'] },
);

const anyDefinition: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ nodes: fc.array(anyNode, { maxLength: 9 }), edges: fc.array(anyEdge, { maxLength: 14 }) }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) },
);

// ---------------------------------------------------------------------------------------
// Mostly valid graphs: a trigger, then nodes each fed by an earlier one (no cycles), so many compile.
// ---------------------------------------------------------------------------------------
const BODY_TYPES = ['data.set', 'http.request', 'logic.if', 'logic.switch', 'logic.merge', 'logic.loop', 'wait.delay', 'wait.approval', 'ai.llm', 'flow.subflow', 'flow.respond', 'flow.error'];

const validishDefinition: fc.Arbitrary<FlowDefinition> = fc
  .tuple(
    fc.constantFrom('trigger.manual', 'trigger.webhook', 'trigger.schedule', 'trigger.event'),
    fc.array(fc.tuple(fc.constantFrom(...BODY_TYPES), fc.nat(), fc.nat()), { minLength: 1, maxLength: 8 }),
    fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { maxLength: 4 }),
  )
  .map(([trigger, steps, extra]) => {
    const nodes: DefinitionNode[] = [{ id: 'n0', type: trigger, position: { x: 0, y: 0 }, data: { ...GOOD_CONFIGS[trigger] } }];
    const edges: DefinitionEdge[] = [];
    const addEdge = (from: number, to: number, pick: number) => {
      const source = nodes[from]!;
      const handles = handlesOfSample(source.type);
      if (handles.length === 0) return;
      const handle = handles[pick % handles.length]!;
      edges.push({ id: `e${edges.length}`, source: source.id, target: nodes[to]!.id, sourceHandle: handle });
    };
    steps.forEach(([type, from, pick], i) => {
      nodes.push({ id: `n${i + 1}`, type, position: { x: i * 10, y: i * 20 }, data: JSON.parse(JSON.stringify(GOOD_CONFIGS[type])) as Record<string, unknown> });
      addEdge(from % (i + 1), i + 1, pick);
    });
    for (const [a, b, pick] of extra) {
      const [from, to] = [a % nodes.length, b % nodes.length];
      if (from < to) addEdge(from, to, pick);
    }
    return { nodes, edges };
  });

function handlesOfSample(type: string): string[] {
  const t = NODE_TYPES[type]!;
  const own = t.handles(t.config.parse(GOOD_CONFIGS[type]));
  return t.errorHandle ? [...own, 'error'] : own;
}

// ---------------------------------------------------------------------------------------
function expectWellFormed(result: CompileResult): void {
  for (const p of result.problems) {
    expect(p.message).toMatch(/\S/);
    expect(p.message).not.toMatch(/could not be compiled/);
    expect(['error', 'warning']).toContain(p.severity);
    expect(typeof p.path).toBe('string');
  }
  if (!result.ok) {
    expect(result.problems.some((p) => p.severity === 'error')).toBe(true);
    return;
  }
  expect(result.problems.every((p) => p.severity === 'warning')).toBe(true);
  const { ir } = result;
  const { hash, ...rest } = ir;
  expect(hash).toBe(sha256(canonicalJson(rest)));
  expect(ir.nodes[ir.triggerId]?.type).toBe(ir.triggerType);
  for (const node of Object.values(ir.nodes)) {
    for (const targets of Object.values(node.next)) for (const target of targets) expect(ir.nodes).toHaveProperty([target]);
    for (const source of node.incoming) expect(ir.nodes[source]?.next).toBeDefined();
    for (const id of [...(node.body?.entry ?? []), ...(node.body?.nodes ?? [])]) expect(ir.nodes).toHaveProperty([id]);
  }
  expect(JSON.parse(JSON.stringify(ir))).toEqual(ir);
}

/** The same flow, laid out differently: nodes moved, nodes and edges in another order. */
function rearranged(definition: FlowDefinition, shift: number): FlowDefinition {
  const rotate = <T>(list: T[]): T[] => (list.length === 0 ? list : [...list.slice(shift % list.length), ...list.slice(0, shift % list.length)]);
  return {
    nodes: rotate([...definition.nodes].reverse()).map((n, i) => ({ ...n, position: { x: n.position.y + i, y: n.position.x - shift } })),
    edges: rotate([...definition.edges].reverse()),
  };
}

describe('compiler properties', () => {
  it('never throws on arbitrary input, and answers either an IR whose every link exists or problems', () => {
    fc.assert(
      fc.property(anyDefinition, (definition) => {
        expectWellFormed(compile(definition, options));
      }),
      { numRuns: 400 },
    );
  });

  it('compiles the same definition to the same result twice', () => {
    fc.assert(
      fc.property(fc.oneof(anyDefinition, validishDefinition), (definition) => {
        expect(compile(definition, options)).toEqual(compile(definition, options));
      }),
      { numRuns: 300 },
    );
  });

  it('compiles mostly valid graphs, with a hash that ignores layout and order', () => {
    let compiled = 0;
    fc.assert(
      fc.property(validishDefinition, fc.nat(), (definition, shift) => {
        const before = JSON.stringify(definition);
        const result = compile(definition, options);
        expect(JSON.stringify(definition)).toBe(before);
        expectWellFormed(result);
        if (!result.ok) return;
        compiled++;
        const again = compile(rearranged(definition, shift), options);
        expect(again).toMatchObject({ ok: true, ir: { hash: result.ir.hash } });
      }),
      { numRuns: 300 },
    );
    expect(compiled).toBeGreaterThan(30);
  });
});
