import { domId, useForm } from '../form-context';
import type { FieldProps } from '../field-props';
import { FieldHelp } from '../FieldShell';

/** A checkbox; while unset it shows the default, and the first click writes a value. */
export function BooleanField({ field, path, value, onChange }: FieldProps<'boolean'>) {
  const { idPrefix, readOnly } = useForm();
  const id = domId(idPrefix, path);
  const checked = typeof value === 'boolean' ? value : field.default === true;
  const note = value === undefined && typeof field.default === 'boolean' ? `Default: ${field.default ? 'on' : 'off'}.` : undefined;
  return (
    <div className="cf-field cf-kind-boolean" data-path={path}>
      <FieldHelp field={field} path={path} id={id} note={note}>
        {(help) => (
          <div className="cf-check">
            <input
              id={id}
              type="checkbox"
              checked={checked}
              disabled={readOnly}
              aria-describedby={help.describedBy}
              aria-invalid={help.invalid || undefined}
              onChange={(event) => onChange(event.target.checked)}
            />
            <label className="cf-label" htmlFor={id}>
              {field.label}
            </label>
          </div>
        )}
      </FieldHelp>
    </div>
  );
}
