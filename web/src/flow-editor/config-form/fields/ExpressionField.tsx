import { ExpressionInput } from '../ExpressionInput';
import { FieldShell } from '../FieldShell';
import type { FieldProps } from '../field-props';
import { placeholderOf } from '../values';

/** A string that may hold `{{ … }}` expressions. */
export function ExpressionField({ field, path, value, onChange }: FieldProps<'expression'>) {
  return (
    <FieldShell field={field} path={path}>
      {(ids) => (
        <ExpressionInput
          id={ids.id}
          value={typeof value === 'string' ? value : value === undefined ? '' : String(value)}
          multiline={field.multiline}
          placeholder={placeholderOf(field.default)}
          describedBy={ids.describedBy}
          invalid={ids.invalid}
          onChange={(text) => onChange(text === '' ? undefined : text)}
        />
      )}
    </FieldShell>
  );
}
