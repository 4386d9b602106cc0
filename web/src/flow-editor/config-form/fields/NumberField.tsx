import { FieldShell } from '../FieldShell';
import type { FieldProps } from '../field-props';
import { useForm } from '../form-context';
import { parseNumber, placeholderOf } from '../values';

/** A number or integer, bounded by the schema's minimum and maximum. */
export function NumberField({ field, path, value, onChange }: FieldProps<'number'>) {
  const { readOnly } = useForm();
  return (
    <FieldShell field={field} path={path}>
      {(ids) => (
        <input
          id={ids.id}
          type="number"
          className="cf-input cf-input-number"
          value={typeof value === 'number' ? String(value) : ''}
          placeholder={placeholderOf(field.default)}
          min={field.minimum}
          max={field.maximum}
          step={field.integer ? 1 : 'any'}
          readOnly={readOnly}
          aria-describedby={ids.describedBy}
          aria-invalid={ids.invalid || undefined}
          onChange={(event) => onChange(parseNumber(event.target.value))}
        />
      )}
    </FieldShell>
  );
}
