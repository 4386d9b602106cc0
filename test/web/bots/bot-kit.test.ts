import type { FlowDefinition } from '../../../flows/types';
import { botExpressionPaths, botGraphProblems, BOT_KIT } from '../../../web/src/bots/bot-kit';
import { connectionProblem } from '../../../web/src/flow-editor/graph';

const at = { x: 0, y: 0 };
const def = (): FlowDefinition => ({
  nodes: [
    { id: 'start', type: 'bot.start', position: at, data: {} },
    { id: 'email', type: 'bot.ask', position: at, data: { question: 'Your email?', variable: 'email', expect: 'email' } },
    { id: 'check', type: 'bot.goal', position: at, data: { goal: 'book_call' } },
    { id: 'bye', type: 'bot.end', position: at, data: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'email', sourceHandle: 'out' },
    { id: 'e2', source: 'email', target: 'check', sourceHandle: 'out' },
    { id: 'e3', source: 'check', target: 'bye', sourceHandle: 'met' },
  ],
});

describe("the bot graph's node kit", () => {
  it("accepts connections from the bot nodes' own outputs and refuses the rest", () => {
    expect(connectionProblem(def(), { source: 'email', target: 'bye', sourceHandle: 'invalid' }, BOT_KIT)).toBeUndefined();
    expect(connectionProblem(def(), { source: 'check', target: 'bye', sourceHandle: 'not_met' }, BOT_KIT)).toBeUndefined();
    expect(connectionProblem(def(), { source: 'check', target: 'bye', sourceHandle: 'met' }, BOT_KIT)).toBe('These two are already connected');
    expect(connectionProblem(def(), { source: 'check', target: 'bye', sourceHandle: 'out' }, BOT_KIT)).toBe('check has no "out" output');
    expect(connectionProblem(def(), { source: 'bye', target: 'email', sourceHandle: 'out' }, BOT_KIT)).toBe('bye has no "out" output');
    expect(connectionProblem(def(), { source: 'email', target: 'start', sourceHandle: 'invalid' }, BOT_KIT)).toMatch(/Conversation starts is a trigger/);
    expect(connectionProblem(def(), { source: 'check', target: 'email', sourceHandle: 'met' }, BOT_KIT)).toMatch(/cycle \(a conversation moves forward/);
  });

  it("compiles the graph in the browser against the bot's goals", () => {
    expect(botGraphProblems(def(), ['book_call']).filter((p) => p.severity === 'error')).toEqual([]);
    expect(botGraphProblems(def(), [])).toContainEqual(expect.objectContaining({ nodeId: 'check', path: 'data.goal', message: 'the bot has no goal "book_call"', severity: 'error' }));
    expect(botGraphProblems({ nodes: [], edges: [] }, []).some((p) => p.severity === 'error')).toBe(true);
  });

  it('offers the variables Ask nodes save to expressions', () => {
    expect(botExpressionPaths(def())).toEqual(['vars.email']);
  });
});
