import { GroupShell } from '../FieldShell';
import type { FieldProps } from '../field-props';
import { domId, useForm } from '../form-context';
import { humanise } from '../schema-fields';

/** Several enum values, one checkbox each; while unset the default's boxes show checked. */
export function MultiSelectField({ field, path, value, onChange }: FieldProps<'multiselect'>) {
  const { idPrefix, readOnly } = useForm();
  const chosen = Array.isArray(value) ? (value as unknown[]) : Array.isArray(field.default) ? (field.default as unknown[]) : [];
  const note = value === undefined && Array.isArray(field.default) ? `Default: ${field.default.join(', ')}.` : undefined;
  function toggle(option: string, on: boolean) {
    // Keeps the schema's order whatever order the boxes are clicked in.
    onChange(field.options.filter((o) => (o === option ? on : chosen.includes(o))));
  }
  return (
    <GroupShell field={field} path={path} note={note}>
      {() => (
        <div className="cf-options">
          {field.options.map((option) => {
            const id = `${domId(idPrefix, path)}-${option.replace(/[^A-Za-z0-9_-]/g, '_')}`;
            return (
              <div key={option} className="cf-check">
                <input id={id} type="checkbox" checked={chosen.includes(option)} disabled={readOnly} onChange={(event) => toggle(option, event.target.checked)} />
                <label htmlFor={id}>{humanise(option)}</label>
              </div>
            );
          })}
        </div>
      )}
    </GroupShell>
  );
}
