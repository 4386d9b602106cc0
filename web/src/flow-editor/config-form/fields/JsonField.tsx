import { ExpressionInput } from '../ExpressionInput';
import { FieldShell } from '../FieldShell';
import type { FieldProps } from '../field-props';
import { useDraft } from '../use-draft';
import { formatJson, parseJsonAs, placeholderOf } from '../values';

/**
 * JSON typed as text, strings inside may be `{{ … }}`; bare text that is not JSON is a string
 * (a whole `{{ … }}` keeps its value's type at run time). The parsed value is emitted while the
 * text parses; when it does not, the text stays as typed and the parse error is shown.
 */
export function JsonField({ field, path, value, onChange }: FieldProps<'json'>) {
  const draft = useDraft(value, formatJson, (text) => parseJsonAs(text, field.accepts), onChange);
  return (
    <FieldShell field={field} path={path} localError={draft.error}>
      {(ids) => (
        <ExpressionInput
          id={ids.id}
          value={draft.text}
          multiline
          placeholder={placeholderOf(field.default)}
          describedBy={ids.describedBy}
          invalid={ids.invalid}
          onChange={draft.setText}
        />
      )}
    </FieldShell>
  );
}
