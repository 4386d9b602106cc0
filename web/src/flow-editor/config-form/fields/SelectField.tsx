import { FieldShell } from '../FieldShell';
import type { FieldProps } from '../field-props';
import { useForm } from '../form-context';

/** One of the schema's enum values; the empty choice clears the field (its default applies). */
export function SelectField({ field, path, value, onChange }: FieldProps<'select'>) {
  const { readOnly } = useForm();
  const empty = field.default !== undefined ? `Default (${String(field.default)})` : field.required ? 'Choose…' : '—';
  return (
    <FieldShell field={field} path={path}>
      {(ids) => (
        <select
          id={ids.id}
          className="cf-input"
          value={typeof value === 'string' ? value : ''}
          disabled={readOnly}
          aria-describedby={ids.describedBy}
          aria-invalid={ids.invalid || undefined}
          onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value)}
        >
          <option value="">{empty}</option>
          {field.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}
