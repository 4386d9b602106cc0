import { FieldShell } from '../FieldShell';
import type { FieldProps } from '../field-props';
import { useForm } from '../form-context';
import { placeholderOf } from '../values';

/** A plain string (no expressions): cron, time zone, event name, ids. */
export function TextField({ field, path, value, onChange }: FieldProps<'text'>) {
  const { readOnly } = useForm();
  return (
    <FieldShell field={field} path={path}>
      {(ids) => (
        <input
          id={ids.id}
          type="text"
          className="cf-input"
          value={typeof value === 'string' ? value : value === undefined ? '' : String(value)}
          placeholder={placeholderOf(field.default)}
          maxLength={field.maxLength}
          readOnly={readOnly}
          spellCheck={false}
          aria-describedby={ids.describedBy}
          aria-invalid={ids.invalid || undefined}
          onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value)}
        />
      )}
    </FieldShell>
  );
}
