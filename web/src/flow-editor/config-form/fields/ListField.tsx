import { FieldShell } from '../FieldShell';
import type { FieldProps } from '../field-props';
import { useForm } from '../form-context';
import { formatList, parseList, placeholderOf } from '../values';
import { useDraft } from '../use-draft';

/** A short list of numbers or words typed comma-separated ("200, 201"). */
export function ListField({ field, path, value, onChange }: FieldProps<'list'>) {
  const { readOnly } = useForm();
  const draft = useDraft(value, formatList, (text) => parseList(text, field.itemType), onChange);
  return (
    <FieldShell field={field} path={path} localError={draft.error}>
      {(ids) => (
        <input
          id={ids.id}
          type="text"
          className="cf-input"
          inputMode={field.itemType === 'string' ? 'text' : 'numeric'}
          value={draft.text}
          placeholder={placeholderOf(field.default)}
          readOnly={readOnly}
          aria-describedby={ids.describedBy}
          aria-invalid={ids.invalid || undefined}
          onChange={(event) => draft.setText(event.target.value)}
        />
      )}
    </FieldShell>
  );
}
