/** @jest-environment jsdom */
import { screen, within } from '@testing-library/react';
import { nodeCatalog } from '../../../flows/registry';
import { describeConfigSchema } from '../../../web/src/flow-editor/config-form/schema-fields';
import { FULL_CONFIGS } from './configs';
import { renderForm, schemaOf } from './harness';
import { editField, expectShows } from './walk';

const TYPES = nodeCatalog().map((entry) => entry.type);

describe('ConfigForm', () => {
  describe.each(TYPES.map((t) => [t]))('%s', (type) => {
    const fields = describeConfigSchema(schemaOf(type));
    const config = FULL_CONFIGS[type] as Record<string, unknown>;

    it('renders every field with its value', () => {
      const { form, container } = renderForm(type, config);
      if (fields.length === 0) expect(form.getByText('This node has no settings.')).toBeTruthy();
      for (const field of fields) expectShows(form, field, config[field.key]);
      // A label for every control.
      for (const control of container.querySelectorAll('input, textarea, select')) {
        expect({ id: control.id, labelled: (control as HTMLInputElement).labels?.length ?? 0 }).toEqual({ id: control.id, labelled: 1 });
      }
    });

    it('emits each edited field as the right typed value, and shows it back', async () => {
      const { form, user, last } = renderForm(type, config);
      const expected: Record<string, unknown> = { ...config };
      for (const field of fields) {
        expected[field.key] = await editField(user, form, field, expected[field.key]);
        expect({ field: field.key, config: last() }).toEqual({ field: field.key, config: expected });
      }
      for (const field of fields) expectShows(form, field, expected[field.key], true);
    });
  });

  it('shows defaults as placeholders without writing them, and writes only what is edited', async () => {
    const { form, user, emitted } = renderForm('trigger.webhook', {});
    expect((form.getByLabelText('Response timeout (ms)') as HTMLInputElement).placeholder).toBe('30000');
    expect((form.getByLabelText('Mode') as HTMLSelectElement).value).toBe('');
    expect(form.getByRole('option', { name: 'Default (async)' })).toBeTruthy();
    expect((form.getByLabelText('Require signature') as HTMLInputElement).checked).toBe(false);
    expect(emitted).toEqual([]);
    await user.type(form.getByLabelText('Idempotency field'), 'id');
    expect(emitted.at(-1)).toEqual({ idempotencyField: 'id' });
    await user.selectOptions(form.getByLabelText('Mode'), 'sync');
    expect(emitted.at(-1)).toEqual({ idempotencyField: 'id', mode: 'sync' });
    await user.selectOptions(form.getByLabelText('Mode'), '');
    expect(emitted.at(-1)).toEqual({ idempotencyField: 'id' });

    const approval = renderForm('wait.approval', { message: 'ok?' }, { idPrefix: 'n2' });
    const roles = within(approval.form.getByRole('group', { name: 'Approver roles' }));
    expect(roles.getByLabelText('Owner')).toHaveProperty('checked', true);
    expect(roles.getByLabelText('Administrator')).toHaveProperty('checked', true);
    expect((approval.form.getByLabelText('Timeout') as HTMLTextAreaElement).placeholder).toBe('7d');
    await approval.user.click(roles.getByLabelText('Bot trainer'));
    expect(approval.emitted.at(-1)).toEqual({ message: 'ok?', approverRoles: ['owner', 'administrator', 'bot_trainer'] });
  });

  it('removes the key of a cleared field', async () => {
    const { form, user, last } = renderForm('ai.llm', FULL_CONFIGS['ai.llm']!);
    await user.clear(form.getByLabelText('System prompt'));
    await user.clear(form.getByLabelText('Temperature'));
    await user.clear(form.getByLabelText('Timeout (ms)'));
    expect(Object.keys(last())).toEqual(['model', 'prompt', 'maxTokens', 'responseFormat', 'retry']);
    // The last member of an override gone, the override goes too.
    await user.clear(within(form.getByRole('group', { name: 'Retry' })).getByLabelText('Maximum attempts'));
    expect(last()).not.toHaveProperty('retry');
    // An optional object with required members is switched off as a whole, and on with its fixed values.
    await user.click(form.getByLabelText('Use response format'));
    expect(last()).not.toHaveProperty('responseFormat');
    expect(form.queryByLabelText('Schema name')).toBeNull();
    await user.click(form.getByLabelText('Use response format'));
    expect(last().responseFormat).toEqual({ type: 'json_schema' });
    expect((form.getByLabelText('Format type') as HTMLInputElement).readOnly).toBe(true);

    const http = renderForm('http.request', FULL_CONFIGS['http.request']!, { idPrefix: 'n2' });
    const headers = within(http.form.getByRole('group', { name: 'Headers' }));
    await http.user.click(headers.getByRole('button', { name: 'Remove name 1' }));
    await http.user.click(headers.getByRole('button', { name: 'Remove name 1' }));
    expect(http.last()).not.toHaveProperty('headers');
    await http.user.clear(http.form.getByLabelText('Body'));
    await http.user.clear(http.form.getByLabelText('Expected statuses'));
    expect(Object.keys(http.last())).toEqual(['method', 'url', 'query', 'timeoutMs', 'retry']);
  });

  it('adds key/value rows, emitting them once named', async () => {
    const { form, user, emitted, last } = renderForm('data.set', { fields: {} });
    const group = within(form.getByRole('group', { name: 'Fields' }));
    await user.click(group.getByRole('button', { name: 'Add field' }));
    expect(emitted).toEqual([]);
    await user.type(group.getByLabelText('Field 1'), 'total');
    group.getByLabelText('Value 1').focus();
    await user.paste('[1, 2]');
    expect(last()).toEqual({ fields: { total: [1, 2] } });
    await user.click(group.getByRole('button', { name: 'Add field' }));
    await user.type(group.getByLabelText('Field 2'), 'total');
    await user.type(group.getByLabelText('Value 2'), 'x');
    expect(group.getByText('“total” is set twice; the last one wins')).toBeTruthy();
  });

  it('adds, removes and reorders switch cases', async () => {
    const { form, user, last } = renderForm('logic.switch', FULL_CONFIGS['logic.switch']!);
    const cases = within(form.getByRole('group', { name: 'Cases' }));
    await user.click(cases.getByRole('button', { name: 'Move Case 2 up' }));
    expect(last().cases).toEqual([{ handle: 'two', equals: 2 }, { handle: 'lead', equals: 'lead' }]);
    expect((within(cases.getByRole('group', { name: 'Case 1' })).getByLabelText('Equals') as HTMLTextAreaElement).value).toBe('2');
    await user.click(cases.getByRole('button', { name: 'Add case' }));
    const third = within(cases.getByRole('group', { name: 'Case 3' }));
    await user.type(third.getByLabelText('Handle'), 'other');
    third.getByLabelText('Equals').focus();
    await user.paste('{"kind": "x"}');
    expect(last().cases).toEqual([{ handle: 'two', equals: 2 }, { handle: 'lead', equals: 'lead' }, { handle: 'other', equals: { kind: 'x' } }]);
    await user.click(cases.getByRole('button', { name: 'Remove Case 1' }));
    expect(last().cases).toEqual([{ handle: 'lead', equals: 'lead' }, { handle: 'other', equals: { kind: 'x' } }]);
    expect(cases.getByRole('button', { name: 'Move Case 1 up' })).toHaveProperty('disabled', true);
  });

  it('keeps JSON that does not parse as typed, shows why, and emits once it parses', async () => {
    const { form, user, emitted, last } = renderForm('http.request', { method: 'POST', url: 'https://x.test' });
    const body = form.getByLabelText('Body') as HTMLTextAreaElement;
    body.focus();
    await user.paste('{"name": "{{ trigger.body.name }}", ');
    expect(body.value).toBe('{"name": "{{ trigger.body.name }}", ');
    expect(emitted).toEqual([]);
    expect(body.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (body.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? '');
    expect(describedBy.join(' ')).toMatch(/Not valid JSON/);
    await user.paste('"n": 2}');
    expect(last()).toEqual({ method: 'POST', url: 'https://x.test', body: { name: '{{ trigger.body.name }}', n: 2 } });
    expect(body.getAttribute('aria-invalid')).toBeNull();
    // Text that is not JSON is a string (a template keeps its value's type when it runs).
    await user.clear(body);
    body.focus();
    await user.paste('{{ trigger.body }}');
    expect(last().body).toBe('{{ trigger.body }}');
    // Loop items take a template or an array, not a number.
    const loop = renderForm('logic.loop', { items: [1, 2] }, { idPrefix: 'n2' });
    const items = loop.form.getByLabelText('Items') as HTMLTextAreaElement;
    expect(items.value).toBe('[\n  1,\n  2\n]');
    await loop.user.clear(items);
    items.focus();
    await loop.user.paste('5');
    expect(loop.form.getByText('Expected a {{ … }} expression or text or a JSON array')).toBeTruthy();
    expect(loop.last()).toEqual({});
  });

  it('switches a condition between true, false and an expression', async () => {
    const { form, user, last } = renderForm('logic.if', { condition: true });
    expect(form.queryByLabelText('Condition expression')).toBeNull();
    await user.selectOptions(form.getByLabelText('Condition'), 'expression');
    expect(last()).toEqual({});
    await user.type(form.getByLabelText('Condition expression'), '{{{{ trigger.body.ok }}');
    expect(last()).toEqual({ condition: '{{ trigger.body.ok }}' });
    await user.selectOptions(form.getByLabelText('Condition'), 'false');
    expect(last()).toEqual({ condition: false });
  });

  it('reads a duration of digits as milliseconds and anything else as text', async () => {
    const { form, user, last } = renderForm('wait.delay', { duration: 60_000 });
    const input = form.getByLabelText('Duration') as HTMLTextAreaElement;
    expect(input.value).toBe('60000');
    await user.clear(input);
    await user.type(input, '1h30m');
    expect(last()).toEqual({ duration: '1h30m' });
    await user.clear(input);
    expect(last()).toEqual({});
    await user.type(form.getByLabelText('Until'), '2030-01-31T09:00:00Z');
    expect(last()).toEqual({ until: '2030-01-31T09:00:00Z' });
  });

  it('completes scope paths inside {{ }} from the keyboard', async () => {
    const suggestions = ['trigger.body.name', 'trigger.body.email', 'trigger.headers', 'nodes.fetch.output.status'];
    const { form, user, last } = renderForm('flow.error', {}, { suggestions });
    const input = form.getByLabelText('Message') as HTMLTextAreaElement;
    expect(input.getAttribute('role')).toBe('combobox');
    await user.type(input, 'Hi ');
    expect(input.getAttribute('aria-expanded')).toBe('false');
    await user.type(input, '{{{{ trigger.bo');
    expect(input.getAttribute('aria-expanded')).toBe('true');
    const list = screen.getByRole('listbox');
    expect(within(list).getAllByRole('option').map((o) => o.textContent)).toEqual(['trigger.body.name', 'trigger.body.email']);
    expect(input.getAttribute('aria-activedescendant')).toBe(within(list).getByRole('option', { name: 'trigger.body.name' }).id);
    await user.keyboard('{ArrowDown}');
    expect(within(list).getByRole('option', { name: 'trigger.body.email' }).getAttribute('aria-selected')).toBe('true');
    await user.keyboard('{Enter}');
    expect(last()).toEqual({ message: 'Hi {{ trigger.body.email }}' });
    expect(input.getAttribute('aria-expanded')).toBe('false');
    expect(input.selectionStart).toBe('Hi {{ trigger.body.email'.length);
    // Outside {{ }} nothing is offered; Escape closes without choosing; Tab accepts.
    await user.type(input, '{End} and {{{{ nodes');
    expect(within(screen.getByRole('listbox')).getAllByRole('option').map((o) => o.textContent)).toEqual(['nodes.fetch.output.status']);
    await user.keyboard('{Escape}');
    expect(input.getAttribute('aria-expanded')).toBe('false');
    expect(last()).toEqual({ message: 'Hi {{ trigger.body.email }} and {{ nodes' });
    await user.type(input, '.f');
    await user.keyboard('{Tab}');
    expect(last()).toEqual({ message: 'Hi {{ trigger.body.email }} and {{ nodes.fetch.output.status }}' });
    // The text shows its expressions highlighted.
    const tokens = [...input.parentElement!.querySelectorAll('.cf-expr-token')].map((t) => t.textContent);
    expect(tokens).toEqual(['{{ trigger.body.email }}', '{{ nodes.fetch.output.status }}']);
  });

  it('shows problems under their field, the others on top', () => {
    const problems = [
      { path: 'url', message: 'must be an http(s) URL' },
      { path: 'retry.maximumAttempts', message: 'too big' },
      { path: '', message: 'the node is not connected' },
      { path: 'nowhere', message: 'unknown key' },
    ];
    const { form } = renderForm('http.request', FULL_CONFIGS['http.request']!, { problems });
    const url = form.getByLabelText('URL');
    expect(url.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (url.getAttribute('aria-describedby') ?? '').split(' ');
    expect(describedBy.map((id) => document.getElementById(id)?.textContent)).toContain('must be an http(s) URL');
    const attempts = within(form.getByRole('group', { name: 'Retry' })).getByLabelText('Maximum attempts');
    expect(attempts.getAttribute('aria-invalid')).toBe('true');
    expect(form.getByLabelText('Method').getAttribute('aria-invalid')).toBeNull();
    expect(within(form.getByRole('list', { name: 'Problems' })).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'the node is not connected',
      'nowhere: unknown key',
    ]);

    const sw = renderForm('logic.switch', FULL_CONFIGS['logic.switch']!, { idPrefix: 'n2', problems: [{ path: 'cases.1.handle', message: 'handle is used by an earlier case' }] });
    const second = within(sw.form.getByRole('group', { name: 'Case 2' })).getByLabelText('Handle');
    expect(second.getAttribute('aria-invalid')).toBe('true');
    expect(within(sw.form.getByRole('group', { name: 'Case 1' })).getByLabelText('Handle').getAttribute('aria-invalid')).toBeNull();
    expect(sw.form.queryByRole('list', { name: 'Problems' })).toBeNull();
  });

  it('edits nothing when read-only', async () => {
    const { form, user, emitted, container } = renderForm('http.request', FULL_CONFIGS['http.request']!, { readOnly: true });
    expect(form.queryAllByRole('button')).toEqual([]);
    await user.type(form.getByLabelText('URL'), 'x');
    await user.selectOptions(form.getByLabelText('Method'), 'GET').catch(() => undefined);
    expect(emitted).toEqual([]);
    for (const control of container.querySelectorAll('input, textarea, select')) {
      expect((control as HTMLInputElement).readOnly || (control as HTMLInputElement).disabled).toBe(true);
    }
  });
});
