import { FlowError } from '../../../flows/errors';
import { evaluateConfig } from '../../../flows/expressions';
import { getNodeType, handlesOf, NODE_TYPES, nodeCatalog } from '../../../flows/registry';
import { FLOW_ACTIVITIES, type InlineContext, type NodeType } from '../../../flows/types';
import { GOOD_CONFIGS, scope } from './helpers';

/** Paths of the issues a config schema reports, dotted. */
function issuePaths(type: string, data: unknown): string[] {
  const parsed = NODE_TYPES[type]!.config.safeParse(data);
  if (parsed.success) return [];
  return parsed.error.issues.map((i) => (i.code === 'unrecognized_keys' ? [...i.path, ...i.keys] : i.path).join('.'));
}

const ctx = (nodeId = 'n1'): InlineContext => ({ scope: scope(), nodeId });

/** Evaluates the config as the interpreter will, then runs the node inline. */
async function runInline(type: string, data: Record<string, unknown>, nodeId = 'n1') {
  const nodeType = NODE_TYPES[type] as NodeType<Record<string, unknown>>;
  if (nodeType.runtime.kind !== 'inline') throw new Error(`${type} is not inline`);
  const config = nodeType.config.parse(data);
  const evaluated = await evaluateConfig(config, scope(), { nodeId });
  return nodeType.runtime.run(evaluated, ctx(nodeId));
}

describe('node types', () => {
  describe('registry', () => {
    it('lists every type under its own id, complete, with an activity flows may call', () => {
      expect(Object.keys(NODE_TYPES).sort()).toEqual(Object.keys(GOOD_CONFIGS).sort());
      for (const [id, t] of Object.entries(NODE_TYPES)) {
        expect(t).toMatchObject({ type: id, version: expect.any(Number), label: expect.stringMatching(/\S/), description: expect.stringMatching(/\S/) });
        expect(id.startsWith(t.group === 'triggers' ? 'trigger.' : '')).toBe(true);
        expect(t.inputs).toBe(t.runtime.kind === 'trigger' ? 'none' : 'any');
        if (t.runtime.kind === 'activity') expect(FLOW_ACTIVITIES).toContain(t.runtime.activity);
        expect(getNodeType(id)).toBe(t);
      }
      expect(getNodeType('toString')).toBeUndefined();
      expect(getNodeType('nope')).toBeUndefined();
    });

    it('gives the palette plain JSON with a config schema for every type', () => {
      const catalog = nodeCatalog();
      expect(JSON.parse(JSON.stringify(catalog))).toEqual(catalog);
      expect(catalog.map((c) => c.type)).toEqual(Object.keys(NODE_TYPES));
      const http = catalog.find((c) => c.type === 'http.request');
      expect(http).toMatchObject({ group: 'http', errorHandle: true, inputs: 'any', runtime: 'activity', configSchema: { type: 'object', required: ['method', 'url'] } });
      expect(catalog.find((c) => c.type === 'trigger.webhook')?.configSchema).toMatchObject({
        properties: { mode: { enum: ['async', 'sync'], default: 'async' } },
        additionalProperties: false,
      });
    });

    it('tells the handles of a config, the error handle last where there is one', () => {
      expect(handlesOf('logic.switch', GOOD_CONFIGS['logic.switch'])).toEqual(['a', 'b', 'default']);
      expect(handlesOf('http.request', GOOD_CONFIGS['http.request'])).toEqual(['out', 'error']);
      expect(handlesOf('ai.llm', {})).toEqual(['out', 'error']);
      expect(handlesOf('wait.approval', {})).toEqual(['approved', 'rejected', 'timeout']);
      expect(handlesOf('logic.switch', { value: 1, cases: [{ handle: 'x' }, { handle: 'x' }] })).toEqual(['x', 'default']);
      expect(handlesOf('logic.switch', { cases: 'half typed' })).toEqual([]);
      expect(handlesOf('flow.error', {})).toEqual([]);
      expect(handlesOf('nope', {})).toBeUndefined();
    });
  });

  describe('config schemas accept a good config', () => {
    it.each(Object.entries(GOOD_CONFIGS))('%s', (type, data) => {
      expect(issuePaths(type, data)).toEqual([]);
    });
  });

  describe('config schemas reject a bad config at the field', () => {
    it.each([
      ['trigger.webhook', { mode: 'later' }, ['mode']],
      ['trigger.webhook', { responseTimeoutMs: 500 }, ['responseTimeoutMs']],
      ['trigger.webhook', { idempotencyField: 'event..id' }, ['idempotencyField']],
      ['trigger.webhook', { requireSignature: 'yes' }, ['requireSignature']],
      ['trigger.manual', { sample: {} }, ['sample']],
      ['trigger.schedule', { cron: '* * * *' }, ['cron']],
      ['trigger.schedule', { cron: '60 * * * *' }, ['cron']],
      ['trigger.schedule', { cron: '0 9 * * *', timezone: 'Mars/Olympus' }, ['timezone']],
      ['trigger.event', { event: 'Contact Created' }, ['event']],
      ['http.request', { method: 'GET', url: 'not a url' }, ['url']],
      ['http.request', { method: 'GET', url: 'https://x.example.com', body: { a: 1 } }, ['body']],
      ['http.request', { method: 'POST', url: 'https://x.example.com', headers: { 'Bad Header': 'x' } }, ['headers.Bad Header']],
      ['http.request', { method: 'POST', url: 'https://x.example.com', timeoutMs: 300_001 }, ['timeoutMs']],
      ['http.request', { method: 'POST', url: 'https://x.example.com', expectedStatus: [99] }, ['expectedStatus.0']],
      ['http.request', { method: 'POST', url: 'https://x.example.com', retry: { backoffCoefficient: 0.5 } }, ['retry.backoffCoefficient']],
      ['logic.if', { condition: 3 }, ['condition']],
      ['logic.if', { condition: 'no braces' }, ['condition']],
      ['logic.switch', { value: 1, cases: [] }, ['cases']],
      ['logic.switch', { value: 1, cases: [{ handle: 'default', equals: 1 }] }, ['cases.0.handle']],
      ['logic.switch', { value: 1, cases: [{ handle: 'a', equals: 1 }, { handle: 'a', equals: 2 }] }, ['cases.1.handle']],
      ['logic.merge', { wait: 'all' }, ['wait']],
      ['logic.loop', { items: '{{ trigger.items }}', concurrency: 11 }, ['concurrency']],
      ['logic.loop', { items: 'trigger.items' }, ['items']],
      ['logic.loop', { items: '{{ x }}', maxItems: 100_001 }, ['maxItems']],
      ['data.set', { fields: [] }, ['fields']],
      ['wait.delay', {}, ['']],
      ['wait.delay', { duration: '5m', until: '2030-01-01T00:00:00Z' }, ['']],
      ['wait.delay', { duration: '5 fortnights' }, ['duration']],
      ['wait.delay', { until: 'tomorrow' }, ['until']],
      ['wait.approval', { message: 'ok?', approverRoles: ['king'] }, ['approverRoles.0']],
      ['wait.approval', { message: 'ok?', approverRoles: [] }, ['approverRoles']],
      ['wait.approval', { message: 'ok?', timeout: 'P1M' }, ['timeout']],
      ['wait.approval', { message: '' }, ['message']],
      ['ai.llm', { model: 'm', prompt: 'p', temperature: 2.5 }, ['temperature']],
      ['ai.llm', { model: 'm', prompt: 'p', maxTokens: 1.5 }, ['maxTokens']],
      ['ai.llm', { model: 'm', prompt: 'p', responseFormat: { type: 'text' } }, ['responseFormat.type', 'responseFormat.name', 'responseFormat.schema']],
      ['ai.llm', { model: 'm' }, ['prompt']],
      ['flow.subflow', { workflowId: 'not-a-uuid' }, ['workflowId']],
      ['flow.respond', { status: 700 }, ['status']],
      ['flow.error', {}, ['message']],
    ])('%s %j', (type, data, paths) => {
      expect(issuePaths(type, data)).toEqual(paths);
    });
  });

  it('applies defaults', () => {
    expect(NODE_TYPES['trigger.webhook']!.config.parse({})).toEqual({ mode: 'async', responseTimeoutMs: 30_000, requireSignature: false });
    expect(NODE_TYPES['wait.approval']!.config.parse({ message: 'ok?' })).toEqual({ message: 'ok?', approverRoles: ['owner', 'administrator'], timeout: '7d' });
    expect(NODE_TYPES['trigger.schedule']!.config.parse({ cron: '0 0 1 1 *' })).toEqual({ cron: '0 0 1 1 *', timezone: 'UTC' });
    expect(NODE_TYPES['flow.respond']!.config.parse({})).toEqual({ status: 200 });
  });

  describe('schedule cron', () => {
    const cron = (expression: string) => issuePaths('trigger.schedule', { cron: expression });
    it.each(['* * * * *', '*/5 * * * *', '0 9-17/2 * * 1-5', '0,15,30,45 * 1,15 JAN-MAR sun', '59 23 31 12 7', '0 0 * * MON,WED'])('accepts %j', (e) => {
      expect(cron(e)).toEqual([]);
    });
    it.each(['* * * * * *', '*/0 * * * *', '5-1 * * * *', '* 24 * * *', '* * 0 * *', '* * * 13 *', '* * * * 8', '*/61 * * * *', '5/10 * * * *', 'a b c d e', ''])('refuses %j', (e) => {
      expect(cron(e)).toEqual(['cron']);
    });
    it('accepts time zones Intl knows, including UTC and aliases', () => {
      for (const timezone of ['UTC', 'Europe/Paris', 'Asia/Calcutta', 'America/Argentina/Buenos_Aires']) {
        expect(issuePaths('trigger.schedule', { cron: '* * * * *', timezone })).toEqual([]);
      }
    });
  });

  describe('inline runs', () => {
    it.each([
      [true, 'true'],
      [false, 'false'],
      ['{{ trigger.body.amount > 100 }}', 'true'],
      ['{{ trigger.body.amount > 1000 }}', 'false'],
      ['{{ trigger.body.email }}', 'true'],
      ['{{ trigger.body.missing }}', 'false'],
      ['{{ "false" }}', 'false'],
      ['{{ "0" }}', 'false'],
      ['{{ "" }}', 'false'],
      ['{{ 0 }}', 'false'],
      ['{{ null }}', 'false'],
      ['{{ [] }}', 'true'],
      ['{{ trigger.body.amount }} items', 'true'],
    ])('logic.if %j -> %s', async (condition, handle) => {
      expect(await runInline('logic.if', { condition })).toEqual({ output: { result: handle === 'true' }, handle });
    });

    it('logic.switch follows the first case equal to the value, by structure', async () => {
      const cases = [
        { handle: 'small', equals: 1 },
        { handle: 'shape', equals: { b: 2, a: [1] } },
        { handle: 'again', equals: { a: [1], b: 2 } },
        { handle: 'mail', equals: '{{ trigger.body.email }}' },
      ];
      expect(await runInline('logic.switch', { value: '{{ {"a": [1], "b": 2} }}', cases })).toEqual({ output: { value: { a: [1], b: 2 }, matched: 'shape' }, handle: 'shape' });
      expect(await runInline('logic.switch', { value: 'ada@example.com', cases })).toMatchObject({ handle: 'mail' });
      expect(await runInline('logic.switch', { value: '1', cases })).toEqual({ output: { value: '1', matched: 'default' }, handle: 'default' });
    });

    it('data.set outputs the evaluated fields', async () => {
      expect(await runInline('data.set', { fields: { email: '{{ trigger.body.email }}', n: '{{ vars.index + 1 }}', fixed: [1, 'x'] } })).toEqual({
        output: { email: 'ada@example.com', n: 1, fixed: [1, 'x'] },
      });
    });

    it('flow.error throws a non-retryable FlowError with the node and the message', async () => {
      const error: unknown = await runInline('flow.error', { message: 'Order {{ vars.item.id }} is invalid' }, 'stop').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FlowError);
      expect(error).toMatchObject({ name: 'FlowError', nodeId: 'stop', message: 'Order 7 is invalid', nonRetryable: true });
    });
  });
});
