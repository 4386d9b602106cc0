import { Fields } from '../FieldRenderer';
import { GroupShell } from '../FieldShell';
import type { FieldProps } from '../field-props';
import { domId, useForm } from '../form-context';
import type { FieldDescriptor } from '../schema-fields';
import { isPlainObject } from '../values';

/** The members a new object starts with: its fixed (const) values. */
export function initialObject(fields: readonly FieldDescriptor[]): Record<string, unknown> {
  return Object.fromEntries(fields.flatMap((f) => (f.kind === 'const' ? [[f.key, f.value]] : [])));
}

/**
 * A nested object. An optional one with required members has a "Use …" checkbox (off = the
 * key is removed); one whose members are all optional (retry) disappears with its last member.
 */
export function ObjectField({ field, path, value, onChange }: FieldProps<'object'>) {
  const { idPrefix, readOnly } = useForm();
  const present = isPlainObject(value);
  const toggleId = `${domId(idPrefix, path)}-use`;
  const emit = (next: Record<string, unknown>) => {
    const hasOwn = Object.keys(next).some((k) => !(field.fields.find((f) => f.key === k)?.kind === 'const'));
    onChange(!field.required && !field.toggle && !hasOwn ? undefined : next);
  };
  return (
    <GroupShell field={field} path={path}>
      {() => (
        <>
          {field.toggle && (
            <div className="cf-check">
              <input
                id={toggleId}
                type="checkbox"
                checked={present}
                disabled={readOnly}
                onChange={(event) => onChange(event.target.checked ? initialObject(field.fields) : undefined)}
              />
              <label htmlFor={toggleId}>Use {field.label.charAt(0).toLowerCase() + field.label.slice(1)}</label>
            </div>
          )}
          {(!field.toggle || present) && (
            <div className="cf-nested">
              <Fields fields={field.fields} path={path} value={value} onChange={emit} />
            </div>
          )}
        </>
      )}
    </GroupShell>
  );
}
