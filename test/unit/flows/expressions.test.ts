import { ExpressionError } from '../../../flows/errors';
import {
  collectTemplates,
  evaluateConfig,
  evaluateTemplate,
  isTemplate,
  MAX_TEMPLATE_LENGTH,
  parseTemplate,
} from '../../../flows/expressions';
import { scope } from './helpers';

/** The ExpressionError a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<ExpressionError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExpressionError);
  return error as ExpressionError;
}

describe('expressions', () => {
  describe('a string that is exactly one {{ }} keeps the type of its value', () => {
    it.each([
      ['{{ trigger.body.amount }}', 120],
      ['{{ trigger.body.amount > 100 }}', true],
      ['{{ trigger.body.tags }}', ['a', 'b']],
      ['{{ trigger.body.nested }}', { ok: true }],
      ['{{ null }}', null],
      ['{{ trigger.body.email }}', 'ada@example.com'],
      ['{{ trigger.body.missing }}', undefined],
      ['{{ {"total": trigger.body.amount * 2, "tags": trigger.body.tags} }}', { total: 240, tags: ['a', 'b'] }],
      ['{{ [1] }}', [1]],
      ['{{$count(trigger.body.tags)}}', 2],
    ])('%s', async (template, value) => {
      expect(await evaluateTemplate(template, scope())).toEqual(value);
    });
  });

  describe('mixed text concatenates', () => {
    it.each([
      ['Hello {{ trigger.body.email }}!', 'Hello ada@example.com!'],
      ['n={{ trigger.body.amount }} ok={{ trigger.body.nested.ok }}', 'n=120 ok=true'],
      ['tags: {{ trigger.body.tags }} / {{ trigger.body.nested }}', 'tags: ["a","b"] / {"ok":true}'],
      ['[{{ trigger.body.missing }}][{{ null }}]', '[][]'],
      [' {{ 1 }} ', ' 1 '],
      ['{{ 1 }}{{ 2 }}', '12'],
      ['no template at all', 'no template at all'],
      ['a } and }} outside are text {{ "}}" }}', 'a } and }} outside are text }}'],
    ])('%s', async (template, value) => {
      expect(await evaluateTemplate(template, scope())).toBe(value);
    });
  });

  describe('scope', () => {
    it('reads the trigger, node outputs, vars and the execution', async () => {
      const s = scope();
      expect(await evaluateTemplate('{{ nodes.http1.output.status }}', s)).toBe(201);
      expect(await evaluateTemplate('{{ nodes.`set-1`.output.n }}', s)).toBe(3);
      expect(await evaluateTemplate('{{ vars.item.name }}#{{ vars.index }}', s)).toBe('seven#0');
      expect(await evaluateTemplate('{{ execution.id }} at {{ execution.startedAt }}', s)).toBe('exec-1 at 2030-01-31T09:00:00.000Z');
    });

    it('does not change the scope', async () => {
      const s = scope();
      const before = JSON.stringify(s);
      await evaluateTemplate('{{ $merge([trigger.body, {"email": "x"}]) }}', s);
      await evaluateTemplate('{{ trigger.body ~> |$|{"amount": 0}| }}', s);
      expect(JSON.stringify(s)).toBe(before);
    });

    it('returns plain JSON, not JSONata sequences', async () => {
      const value = await evaluateTemplate('{{ trigger.body.tags.($ & "!") }}', scope());
      expect(value).toEqual(['a!', 'b!']);
      expect(Object.keys(value as object)).toEqual(['0', '1']);
    });
  });

  describe('evaluateConfig', () => {
    it('walks objects and arrays, evaluating every template and keeping everything else', async () => {
      const config = {
        url: 'https://api.example.com/contacts/{{ nodes.http1.output.body.id }}',
        headers: { Authorization: 'Bearer {{ vars.item.id }}', Accept: 'application/json' },
        cases: [{ handle: 'a', equals: '{{ trigger.body.amount }}' }, { handle: 'b', equals: { deep: ['{{ vars.index }}', 3] } }],
        retries: 3,
        flag: false,
        nothing: null,
      };
      expect(await evaluateConfig(config, scope(), { nodeId: 'n1' })).toEqual({
        url: 'https://api.example.com/contacts/c_1',
        headers: { Authorization: 'Bearer 7', Accept: 'application/json' },
        cases: [{ handle: 'a', equals: 120 }, { handle: 'b', equals: { deep: [0, 3] } }],
        retries: 3,
        flag: false,
        nothing: null,
      });
      expect(config.url).toContain('{{');
    });

    it.each([
      [{ url: '{{ $notAFunction() }}' }, 'url', /notAFunction/],
      [{ headers: { Authorization: 'Bearer {{ nodes.( }}' } }, 'headers.Authorization', /\{\{ nodes\.\( \}\}/],
      [{ cases: [{ equals: 1 }, { equals: '{{ trigger.body.email + 1 }}' }] }, 'cases.1.equals', /number/],
      [{ body: { list: ['ok', 'oops {{ '] } }, 'body.list.1', /never closed/],
      [{ value: '{{ function($x) { $x } }}' }, 'value', /function, not a value/],
      [{ value: '{{ 1 / 0 }}' }, 'value', /.+/],
    ])('reports the node, the field path and the reason: %j', async (config, path, message) => {
      const error = await failure(evaluateConfig(config, scope(), { nodeId: 'http2' }));
      expect(error).toMatchObject({ name: 'ExpressionError', nodeId: 'http2', path, nonRetryable: true });
      expect(error.message).toMatch(message);
    });

    it('keeps "__proto__" keys as plain data', async () => {
      const config = JSON.parse('{"fields": {"__proto__": {"x": "{{ 1 }}"}}}') as Record<string, unknown>;
      const out = await evaluateConfig(config, scope(), { nodeId: 'n' });
      expect(Object.getPrototypeOf(out.fields)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(out.fields, '__proto__')?.value).toEqual({ x: 1 });
    });
  });

  describe('parseTemplate', () => {
    it('splits text and expressions, and says whether the string is one expression', () => {
      expect(parseTemplate('{{ trigger.a }}')).toEqual({
        parts: [{ kind: 'expression', source: ' trigger.a ', offset: 2 }],
        single: true,
        nodeRefs: [],
        problems: [],
      });
      const mixed = parseTemplate('Hi {{ nodes.b.output }} and {{ {"x": {"y": nodes.`a-1`.output}} }}!');
      expect(mixed.single).toBe(false);
      expect(mixed.parts.map((p) => p.kind)).toEqual(['text', 'expression', 'text', 'expression', 'text']);
      expect(mixed.nodeRefs).toEqual(['a-1', 'b']);
      expect(mixed.problems).toEqual([]);
    });

    it.each([
      ['{{ trigger.( }}', /\{\{ trigger\.\( \}\}: /],
      ['{{ }}', /empty expression/],
      ['before {{ trigger.a', /never closed/],
      ['{{ "unterminated }}', /never closed/],
      ['{{ 1 + }}', /.+/],
      ['x'.repeat(MAX_TEMPLATE_LENGTH) + '{{ 1 }}', /longer than 10000/],
    ])('reports problems without throwing: %j', (template, message) => {
      const parsed = parseTemplate(template);
      expect(parsed.problems).toEqual([{ message: expect.stringMatching(message), offset: expect.any(Number) }]);
    });

    it('refuses a template that is too long at evaluation too', async () => {
      const error = await failure(evaluateTemplate(`{{ "${'a'.repeat(MAX_TEMPLATE_LENGTH)}" }}`, scope()));
      expect(error.message).toMatch(/longer than/);
    });
  });

  it('stops an expression that runs away', async () => {
    const error = await failure(evaluateTemplate('{{ ($f := function($n) { $f($n + 1) }; $f(0)) }}', scope()));
    expect(error.message).toMatch(/evaluation steps|too deep|stack/i);
  });

  it('knows a template when it sees one', () => {
    expect([isTemplate('{{ a }}'), isTemplate('x {{'), isTemplate('plain'), isTemplate(3), isTemplate(null)]).toEqual([true, true, false, false, false]);
  });

  it('collects every template with its path', () => {
    expect(
      collectTemplates({ url: 'https://x/{{ a }}', headers: { Authorization: '{{ b }}', Plain: 'x' }, cases: [{ equals: 1 }, { equals: '{{ c }}' }], n: 3 }),
    ).toEqual([
      { path: 'url', template: 'https://x/{{ a }}' },
      { path: 'headers.Authorization', template: '{{ b }}' },
      { path: 'cases.1.equals', template: '{{ c }}' },
    ]);
    expect(collectTemplates('{{ top }}')).toEqual([{ path: '', template: '{{ top }}' }]);
  });
});
