import { ExpressionInput } from '../ExpressionInput';
import { FieldShell } from '../FieldShell';
import type { FieldProps } from '../field-props';
import { useForm } from '../form-context';
import { parseStringOrNumber, placeholderOf } from '../values';

/** A duration: "30s", "PT1H" or a `{{ … }}` stay strings; digits only are milliseconds (a number). */
export function StringOrNumberField({ field, path, value, onChange }: FieldProps<'stringOrNumber'>) {
  const { readOnly } = useForm();
  const text = value === undefined ? '' : String(value);
  const placeholder = placeholderOf(field.default);
  return (
    <FieldShell field={field} path={path}>
      {(ids) =>
        field.expression ? (
          <ExpressionInput
            id={ids.id}
            value={text}
            placeholder={placeholder}
            describedBy={ids.describedBy}
            invalid={ids.invalid}
            onChange={(next) => onChange(parseStringOrNumber(next))}
          />
        ) : (
          <input
            id={ids.id}
            type="text"
            className="cf-input"
            value={text}
            placeholder={placeholder}
            readOnly={readOnly}
            aria-describedby={ids.describedBy}
            aria-invalid={ids.invalid || undefined}
            onChange={(event) => onChange(parseStringOrNumber(event.target.value))}
          />
        )
      }
    </FieldShell>
  );
}
