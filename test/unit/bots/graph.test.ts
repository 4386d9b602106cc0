import { createHash } from 'node:crypto';
import { readAnswer } from '../../../bots/graph/answers';
import { compileBotGraph } from '../../../bots/graph/compile';
import { botHandlesOf, botNodeCatalog } from '../../../bots/graph/registry';

const hash = (s: string) => createHash('sha256').update(s).digest('hex');
const node = (id: string, type: string, data: Record<string, unknown> = {}) => ({ id, type, position: { x: 0, y: 0 }, data });
const edge = (source: string, target: string, sourceHandle?: string) => ({ id: `${source}-${sourceHandle ?? 'out'}-${target}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) });

/** Welcome, ask the email (stored on the contact), let the agent book, then check the goal. */
export const leadGraph = {
  nodes: [
    node('start', 'bot.start'),
    node('hello', 'bot.message', { text: 'Welcome to the studio!' }),
    node('email', 'bot.ask', { question: 'What is your email?', variable: 'email', expect: 'email', saveToContact: 'email' }),
    node('agent', 'bot.llm', { instructions: 'Offer a visit.', exitOnGoal: 'book', maxTurns: 3 }),
    node('booked', 'bot.goal', { goal: 'book' }),
    node('bye', 'bot.end', { message: 'See you {{ vars.email }}!' }),
    node('human', 'bot.handoff', { message: 'A colleague will call you.' }),
  ],
  edges: [edge('start', 'hello'), edge('hello', 'email'), edge('email', 'agent'), edge('email', 'human', 'invalid'), edge('agent', 'booked'), edge('booked', 'bye', 'met'), edge('booked', 'human', 'not_met')],
};

describe('bot graphs', () => {
  it('compiles a conversation with the flow compiler and the bot node types', () => {
    const result = compileBotGraph(leadGraph, { hash, goalIds: ['book'] });
    expect(result.problems).toEqual([]);
    if (!result.ok) throw new Error('not compiled');
    expect(result.ir.triggerType).toBe('bot.start');
    expect(result.ir.nodes.email!.next).toEqual({ out: ['agent'], invalid: ['human'] });
    expect(result.ir.nodes.email!.config).toMatchObject({ retries: 2, expect: 'email' });
    expect(result.ir.nodes.booked!.next).toEqual({ met: ['bye'], not_met: ['human'] });
  });

  it('refuses two paths out of one handle, unknown goals, flow nodes and bad configs, pinned to the node', () => {
    const graph = {
      nodes: [...leadGraph.nodes.filter((n) => n.id !== 'agent'), node('agent', 'bot.llm', { exitOnGoal: 'nope' }), node('extra', 'bot.message', { text: 'Hi' }), node('web', 'http.request', { url: 'https://x.test' })],
      edges: [...leadGraph.edges, edge('hello', 'extra')],
    };
    const result = compileBotGraph(graph, { hash, goalIds: ['book'] });
    expect(result.ok).toBe(false);
    const problems = result.problems.map((p) => [p.nodeId, p.message]);
    expect(problems).toEqual(expect.arrayContaining([['web', expect.stringMatching(/unknown node type/i)]]));
    const fixed = compileBotGraph({ ...graph, nodes: graph.nodes.filter((n) => n.id !== 'web') }, { hash, goalIds: ['book'] });
    expect(fixed.problems.map((p) => [p.nodeId, p.path, p.message])).toEqual([
      ['hello', '', '"out" leads to 2 nodes: a conversation follows one path'],
      ['agent', 'data.exitOnGoal', 'the bot has no goal "nope"'],
    ]);
    const badAsk = compileBotGraph({ nodes: [node('start', 'bot.start'), node('q', 'bot.ask', { question: '', variable: '1x' })], edges: [edge('start', 'q')] }, { hash, goalIds: [] });
    expect(badAsk.problems.filter((p) => p.nodeId === 'q').map((p) => p.path).sort()).toEqual(['data.question', 'data.variable']);
  });

  it('draws the handles each node type has', () => {
    expect(botHandlesOf('bot.ask', {})).toEqual(['out', 'invalid']);
    expect(botHandlesOf('bot.action', { action: 'add_tag', tag: 'x' })).toEqual(['out', 'error']);
    expect(botHandlesOf('bot.end', {})).toEqual([]);
    expect(botHandlesOf('http.request', {})).toBeUndefined();
    expect(botNodeCatalog().map((t) => t.type)).toEqual(['bot.start', 'bot.message', 'bot.ask', 'bot.llm', 'bot.goal', 'bot.condition', 'bot.action', 'bot.handoff', 'bot.end']);
  });

  it.each([
    ['email', "sure, it's Ada.Lovelace@Example.com.", 'ada.lovelace@example.com'],
    ['email', 'no email for you', undefined],
    ['phone', 'call me on +44 (20) 7946-0958', '+442079460958'],
    ['phone', '12', undefined],
    ['number', 'about 1,500 dollars', 1500],
    ['number', 'none', undefined],
    ['yes_no', 'Yes!', true],
    ['yes_no', 'nope', false],
    ['yes_no', 'maybe', undefined],
    ['text', '  Ada  ', 'Ada'],
    ['text', '   ', undefined],
  ] as const)('reads a %s answer from %j', (kind, said, value) => {
    expect(readAnswer(kind, said)).toEqual(value);
  });
});
