import { FieldShell } from '../FieldShell';
import type { FieldProps } from '../field-props';

/** A value the schema fixes (responseFormat.type): shown, never edited; its object writes it. */
export function ConstField({ field, path }: FieldProps<'const'>) {
  return (
    <FieldShell field={field} path={path}>
      {(ids) => <input id={ids.id} type="text" className="cf-input" value={String(field.value)} readOnly aria-describedby={ids.describedBy} />}
    </FieldShell>
  );
}
