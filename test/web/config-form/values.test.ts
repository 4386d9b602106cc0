import { applyCompletion, completionAt, matchSuggestions, segments } from '../../../web/src/flow-editor/config-form/expression-text';
import { formatJson, parseJson, parseJsonAs, parseList, parseStringOrNumber, withKey } from '../../../web/src/flow-editor/config-form/values';

describe('config form: value helpers', () => {
  it('reads JSON text, bare text as a string, and refuses broken JSON', () => {
    expect(parseJson('{"a": [1, true, null]}')).toEqual({ ok: true, value: { a: [1, true, null] } });
    expect(parseJson('{{ trigger.body }}')).toEqual({ ok: true, value: '{{ trigger.body }}' });
    expect(parseJson('hello {{ x }}')).toEqual({ ok: true, value: 'hello {{ x }}' });
    expect(parseJson('  ')).toEqual({ ok: true, value: undefined });
    expect(parseJson('{"a": ')).toEqual({ ok: false, error: expect.stringMatching(/^Not valid JSON/) });
    expect(parseJson('[1,')).toMatchObject({ ok: false });
    expect(parseJson('12abc')).toMatchObject({ ok: false });
    expect(parseJsonAs('5', ['string', 'array'])).toEqual({ ok: false, error: 'Expected a {{ … }} expression or text or a JSON array' });
    expect(parseJsonAs('[5]', ['string', 'array'])).toEqual({ ok: true, value: [5] });
  });

  it('shows strings bare when that reads back the same, else as JSON', () => {
    expect(formatJson('{{ trigger.body.kind }}')).toBe('{{ trigger.body.kind }}');
    expect(formatJson('lead')).toBe('lead');
    expect(formatJson('42')).toBe('"42"');
    expect(formatJson('true')).toBe('"true"');
    expect(formatJson({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(formatJson(undefined)).toBe('');
    for (const v of ['{{ x }}', 'lead', '42', '', ' ', '[', '{"a"', { a: ['{{ y }}'] }, 0, false, null]) {
      expect(parseJson(formatJson(v))).toEqual({ ok: true, value: v });
    }
  });

  it('reads lists and durations', () => {
    expect(parseList('200, 201', 'integer')).toEqual({ ok: true, value: [200, 201] });
    expect(parseList(' ', 'integer')).toEqual({ ok: true, value: undefined });
    expect(parseList('200, 2.5', 'integer')).toEqual({ ok: false, error: '"2.5" is not a whole number' });
    expect(parseStringOrNumber('90000')).toBe(90_000);
    expect(parseStringOrNumber('2h')).toBe('2h');
    expect(parseStringOrNumber('')).toBeUndefined();
  });

  it('removes a key set to undefined', () => {
    expect(withKey({ a: 1, b: 2 }, 'a', undefined)).toEqual({ b: 2 });
    expect(withKey({ a: 1 }, 'b', 0)).toEqual({ a: 1, b: 0 });
  });

  it('highlights {{ … }} segments and completes paths inside them only', () => {
    expect(segments('a {{ x }} b {{ y')).toEqual([
      { text: 'a ', expression: false },
      { text: '{{ x }}', expression: true },
      { text: ' b ', expression: false },
      { text: '{{ y', expression: true },
    ]);
    expect(completionAt('hi {{ trigger.bo', 16)).toEqual({ from: 6, query: 'trigger.bo' });
    expect(completionAt('hi {{ x }} there', 14)).toBeNull();
    expect(completionAt('no braces', 3)).toBeNull();
    const paths = ['trigger.body.name', 'trigger.headers', 'nodes.fetch.output.status'];
    expect(matchSuggestions(paths, 'trigger.b')).toEqual(['trigger.body.name']);
    expect(matchSuggestions(paths, 'status')).toEqual(['nodes.fetch.output.status']);
    expect(matchSuggestions(paths, '')).toEqual(paths);
    expect(applyCompletion('{{ trig', { from: 3, query: 'trig' }, 7, 'trigger.body.name')).toEqual({ text: '{{ trigger.body.name }}', caret: 20 });
    expect(applyCompletion('{{ trig }}', { from: 3, query: 'trig' }, 7, 'trigger.body')).toEqual({ text: '{{ trigger.body }}', caret: 15 });
  });
});
