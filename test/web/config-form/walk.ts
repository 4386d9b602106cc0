/*
 * Generic checks over the field descriptors: what each kind of field must show for a value,
 * and one edit per kind with the typed value it must emit. The switches are exhaustive, so a
 * new field kind does not compile until the tests know how to check it.
 */
import { within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import type { FieldDescriptor } from '../../../web/src/flow-editor/config-form/schema-fields';
import { formatJson, formatList, isPlainObject, parseJson } from '../../../web/src/flow-editor/config-form/values';

type Scope = ReturnType<typeof within>;

function control(scope: Scope, label: string) {
  return scope.getByLabelText(label, { selector: 'input, textarea, select' }) as HTMLInputElement;
}

function textOf(field: FieldDescriptor, value: unknown): string {
  if (value === undefined) return '';
  if (field.kind === 'list') return formatList(value);
  return String(value);
}

/**
 * The field shows `value` (undefined: empty, or its default where the kind shows one). After an
 * edit (`asTyped`), JSON keeps the text as typed: it must mean the value.
 */
export function expectShows(scope: Scope, field: FieldDescriptor, value: unknown, asTyped = false): void {
  switch (field.kind) {
    case 'json':
      if (asTyped) {
        expect({ field: field.key, means: parseJson(control(scope, field.label).value) }).toEqual({ field: field.key, means: { ok: true, value } });
        return;
      }
      expect({ field: field.key, shows: control(scope, field.label).value }).toEqual({ field: field.key, shows: formatJson(value) });
      return;
    case 'text':
    case 'expression':
    case 'number':
    case 'list':
    case 'stringOrNumber':
      expect({ field: field.key, shows: control(scope, field.label).value }).toEqual({ field: field.key, shows: textOf(field, value) });
      return;
    case 'const':
      expect(control(scope, field.label).value).toBe(String(field.value));
      return;
    case 'boolean':
      expect(control(scope, field.label).checked).toBe(value ?? field.default ?? false);
      return;
    case 'select':
      expect(control(scope, field.label).value).toBe(value ?? '');
      return;
    case 'booleanOrExpression':
      expect(control(scope, field.label).value).toBe(typeof value === 'string' ? 'expression' : String(value));
      if (typeof value === 'string') expect(control(scope, `${field.label} expression`).value).toBe(value);
      return;
    case 'multiselect': {
      const group = within(scope.getByRole('group', { name: field.label }));
      const chosen = (value ?? field.default ?? []) as string[];
      const boxes = group.getAllByRole('checkbox') as HTMLInputElement[];
      expect(boxes.filter((b) => b.checked).length).toBe(chosen.length);
      for (const box of boxes) expect(box.checked).toBe(chosen.some((c) => box.id.endsWith(`-${c}`)));
      return;
    }
    case 'map': {
      const group = within(scope.getByRole('group', { name: field.label }));
      Object.entries(isPlainObject(value) ? value : {}).forEach(([key, v], i) => {
        expect(control(group, `${field.keyLabel} ${i + 1}`).value).toBe(key);
        expect(control(group, `${field.valueLabel} ${i + 1}`).value).toBe(field.valueKind === 'json' ? formatJson(v) : v);
      });
      return;
    }
    case 'object': {
      const group = within(scope.getByRole('group', { name: field.label }));
      if (field.toggle) expect(control(group, `Use ${field.label.charAt(0).toLowerCase()}${field.label.slice(1)}`).checked).toBe(value !== undefined);
      if (field.toggle && value === undefined) return;
      for (const child of field.fields) expectShows(group, child, isPlainObject(value) ? value[child.key] : undefined, asTyped);
      return;
    }
    case 'objectList': {
      const group = within(scope.getByRole('group', { name: field.label }));
      (Array.isArray(value) ? value : []).forEach((row, i) => {
        const rowScope = within(group.getByRole('group', { name: `${field.itemLabel} ${i + 1}` }));
        for (const child of field.fields) expectShows(rowScope, child, isPlainObject(row) ? row[child.key] : undefined, asTyped);
      });
      return;
    }
    case 'unknown':
      throw new Error(`field ${field.key} has an unknown kind`);
  }
}

/**
 * Edits the field once as a person would and returns the value the config must then hold at
 * its key (undefined: the key is gone).
 */
export async function editField(user: UserEvent, scope: Scope, field: FieldDescriptor, value: unknown): Promise<unknown> {
  switch (field.kind) {
    case 'text':
    case 'expression': {
      await user.type(control(scope, field.label), ' x');
      return `${typeof value === 'string' ? value : ''} x`;
    }
    case 'number': {
      const target = value === field.minimum ? (field.maximum ?? 7) : (field.minimum ?? 7);
      const input = control(scope, field.label);
      await user.clear(input);
      await user.type(input, String(target));
      return target;
    }
    case 'list': {
      const input = control(scope, field.label);
      await user.clear(input);
      await user.type(input, '202, 204');
      // A list of strings (tags) keeps the text; numbers are parsed.
      return field.itemType === 'string' ? ['202', '204'] : [202, 204];
    }
    case 'json': {
      const input = control(scope, field.label);
      await user.clear(input);
      input.focus();
      const onlyArray = field.accepts && !field.accepts.includes('object');
      await user.paste(onlyArray ? '[1, "two", {"three": 3}]' : '{"edited": [1, "{{ trigger.body.id }}"]}');
      return onlyArray ? [1, 'two', { three: 3 }] : { edited: [1, '{{ trigger.body.id }}'] };
    }
    case 'stringOrNumber': {
      const input = control(scope, field.label);
      await user.clear(input);
      await user.type(input, '90000');
      return 90_000;
    }
    case 'boolean': {
      const was = control(scope, field.label).checked;
      await user.click(control(scope, field.label));
      return !was;
    }
    case 'select': {
      const option = field.options.find((o) => o !== value) as string;
      await user.selectOptions(control(scope, field.label), option);
      return option;
    }
    case 'booleanOrExpression': {
      const next = value === false ? 'true' : 'false';
      await user.selectOptions(control(scope, field.label), next);
      return next === 'true';
    }
    case 'multiselect': {
      const chosen = (value ?? field.default ?? []) as string[];
      const first = field.options[0] as string;
      const group = within(scope.getByRole('group', { name: field.label }));
      await user.click(group.getAllByRole('checkbox')[0] as HTMLElement);
      return field.options.filter((o) => (o === first ? !chosen.includes(o) : chosen.includes(o)));
    }
    case 'map': {
      const group = within(scope.getByRole('group', { name: field.label }));
      const entries = Object.entries(isPlainObject(value) ? value : {});
      if (entries.length === 0) throw new Error(`give ${field.key} an entry to edit`);
      const [key, v] = entries[0] as [string, unknown];
      const input = control(group, `${field.valueLabel} 1`);
      await user.type(input, ' x');
      return Object.fromEntries(entries.map(([k, old]) => [k, k === key ? `${typeof v === 'string' ? v : formatJson(v)} x` : old]));
    }
    case 'object': {
      const group = within(scope.getByRole('group', { name: field.label }));
      let current = isPlainObject(value) ? value : {};
      for (const child of field.fields) {
        if (child.kind === 'const') continue;
        current = { ...current, [child.key]: await editField(user, group, child, current[child.key]) };
      }
      return current;
    }
    case 'objectList': {
      const group = within(scope.getByRole('group', { name: field.label }));
      const rows = Array.isArray(value) ? [...(value as unknown[])] : [];
      const rowScope = within(group.getByRole('group', { name: `${field.itemLabel} 1` }));
      let row = isPlainObject(rows[0]) ? rows[0] : {};
      for (const child of field.fields) row = { ...row, [child.key]: await editField(user, rowScope, child, row[child.key]) };
      rows[0] = row;
      return rows;
    }
    case 'const':
      return value;
    case 'unknown':
      throw new Error(`field ${field.key} has an unknown kind`);
  }
}
