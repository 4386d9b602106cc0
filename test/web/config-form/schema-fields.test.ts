import { NODE_TYPES, nodeCatalog } from '../../../flows/registry';
import { placeProblems } from '../../../web/src/flow-editor/config-form/problems';
import { allFields, describeConfigSchema, FIELD_KINDS, type FieldDescriptor, humanise } from '../../../web/src/flow-editor/config-form/schema-fields';
import { FULL_CONFIGS, LEFT_OUT } from './configs';

const catalog = nodeCatalog();
const byType = Object.fromEntries(catalog.map((entry) => [entry.type, describeConfigSchema(entry.configSchema)]));
const field = (type: string, key: string) => byType[type]!.find((f) => f.key === key)!;

describe('config form: schema → fields', () => {
  it.each(catalog.map((entry) => [entry.type]))('%s: every field has a kind the form renders, a title and help', (type) => {
    const fields = allFields(byType[type]!);
    for (const f of fields) {
      expect({ key: f.key, kind: f.kind }).toEqual({ key: f.key, kind: expect.not.stringMatching(/^unknown$/) });
      expect(FIELD_KINDS).toContain(f.kind);
      expect(f.label).toMatch(/\S/);
    }
    for (const f of byType[type]!) expect({ key: f.key, description: f.description }).toEqual({ key: f.key, description: expect.stringMatching(/\S/) });
  });

  it('uses every kind it knows somewhere in the registry (no dead renderer, no untested kind)', () => {
    const used = new Set(catalog.flatMap((entry) => allFields(byType[entry.type]!).map((f) => f.kind)));
    expect([...used].sort()).toEqual(FIELD_KINDS.filter((k) => k !== 'unknown').sort());
  });

  it('has a full test config for every node type, valid and setting every field', () => {
    expect(Object.keys(FULL_CONFIGS).sort()).toEqual(catalog.map((e) => e.type).sort());
    for (const [type, config] of Object.entries(FULL_CONFIGS)) {
      expect({ type, issues: NODE_TYPES[type]!.config.safeParse(config).error?.issues ?? [] }).toEqual({ type, issues: [] });
      const keys = byType[type]!.map((f) => f.key).filter((k) => !(LEFT_OUT[type] ?? []).includes(k));
      expect({ type, keys: Object.keys(config).sort() }).toEqual({ type, keys: keys.sort() });
    }
  });

  it('reads each shape of the registry as the right kind', () => {
    const kindOf = (f: FieldDescriptor) => ({ key: f.key, kind: f.kind });
    expect(field('http.request', 'method')).toMatchObject({ kind: 'select', options: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'], required: true, label: 'Method' });
    expect(field('http.request', 'url')).toMatchObject({ kind: 'expression', multiline: false, required: true, label: 'URL' });
    expect(field('http.request', 'headers')).toMatchObject({ kind: 'map', valueKind: 'expression', keyLabel: 'Name', valueLabel: 'Value', default: {} });
    expect(field('http.request', 'body')).toMatchObject({ kind: 'json', required: false });
    expect(field('http.request', 'timeoutMs')).toMatchObject({ kind: 'number', integer: true, minimum: 1, maximum: 300_000, default: 30_000 });
    expect(field('http.request', 'expectedStatus')).toMatchObject({ kind: 'list', itemType: 'integer', minimum: 100, maximum: 599 });
    const retry = field('http.request', 'retry');
    expect(retry).toMatchObject({ kind: 'object', toggle: false });
    expect(retry.kind === 'object' && retry.fields.map(kindOf)).toEqual([
      { key: 'maximumAttempts', kind: 'number' },
      { key: 'initialIntervalMs', kind: 'number' },
      { key: 'backoffCoefficient', kind: 'number' },
      { key: 'maximumIntervalMs', kind: 'number' },
    ]);
    expect(retry.kind === 'object' && retry.fields[1]).toMatchObject({ label: 'Initial interval (ms)', integer: true });
    expect(field('logic.if', 'condition')).toMatchObject({ kind: 'booleanOrExpression', required: true });
    expect(field('logic.loop', 'items')).toMatchObject({ kind: 'json', accepts: ['string', 'array'] });
    expect(field('wait.delay', 'duration')).toMatchObject({ kind: 'stringOrNumber', expression: true });
    expect(field('wait.approval', 'approverRoles')).toMatchObject({ kind: 'multiselect', default: ['owner', 'administrator'] });
    expect(field('wait.approval', 'message')).toMatchObject({ kind: 'expression', multiline: true });
    expect(field('data.set', 'fields')).toMatchObject({ kind: 'map', valueKind: 'json', keyLabel: 'Field', required: true });
    const cases = field('logic.switch', 'cases');
    expect(cases).toMatchObject({ kind: 'objectList', itemLabel: 'Case', minItems: 1, maxItems: 50 });
    expect(cases.kind === 'objectList' && cases.fields.map(kindOf)).toEqual([{ key: 'handle', kind: 'text' }, { key: 'equals', kind: 'json' }]);
    const format = field('ai.llm', 'responseFormat');
    expect(format).toMatchObject({ kind: 'object', toggle: true });
    expect(format.kind === 'object' && format.fields.map(kindOf)).toEqual([
      { key: 'type', kind: 'const' },
      { key: 'name', kind: 'text' },
      { key: 'schema', kind: 'json' },
    ]);
    expect(format.kind === 'object' && format.fields[2]).toMatchObject({ accepts: ['object'] });
    expect(field('trigger.webhook', 'requireSignature')).toMatchObject({ kind: 'boolean', default: false });
    expect(field('trigger.schedule', 'cron')).toMatchObject({ kind: 'text', required: true });
    expect(byType['logic.merge']).toEqual([]);
  });

  it('says "unknown" for a shape it does not know, rather than guessing', () => {
    const fields = describeConfigSchema({
      type: 'object',
      properties: { a: { type: 'array', items: { type: 'array' } }, b: { anyOf: [{ type: 'number' }, { type: 'null' }] }, c: {} },
    });
    expect(fields.map((f) => f.kind)).toEqual(['unknown', 'unknown', 'unknown']);
  });

  it('humanises property names for labels', () => {
    expect(humanise('responseTimeoutMs')).toBe('Response timeout (ms)');
    expect(humanise('maxItems')).toBe('Max items');
    expect(humanise('bot_trainer')).toBe('Bot trainer');
  });

  it('pins problems to the field that shows them, the rest on top', () => {
    const fields = byType['http.request']!;
    const placed = placeProblems(fields, FULL_CONFIGS['http.request'], [
      { path: 'url', message: 'bad url' },
      { path: 'headers.X-Token', message: 'bad header' },
      { path: 'body.name', message: 'bad template' },
      { path: 'retry.maximumAttempts', message: 'too many' },
      { path: '', message: 'whole node' },
      { path: 'nope', message: 'unknown field' },
    ]);
    expect(Object.fromEntries(placed.byField)).toEqual({
      url: ['bad url'],
      headers: ['bad header'],
      body: ['bad template'],
      'retry.maximumAttempts': ['too many'],
    });
    expect(placed.unmatched.map((p) => p.message)).toEqual(['whole node', 'unknown field']);
    const switchPlaced = placeProblems(byType['logic.switch']!, FULL_CONFIGS['logic.switch'], [
      { path: 'cases.1.handle', message: 'dup' },
      { path: 'cases', message: 'too few' },
      { path: 'cases.7.handle', message: 'no such row' },
    ]);
    expect(Object.fromEntries(switchPlaced.byField)).toEqual({ 'cases.1.handle': ['dup'], cases: ['too few'] });
    expect(switchPlaced.unmatched.map((p) => p.message)).toEqual(['no such row']);
  });
});
