import { FieldShell } from '../FieldShell';
import type { FieldProps } from '../field-props';

/** A shape the generator does not know: shown read-only so it is never lost (a unit test forbids it in the registry). */
export function UnknownField({ field, path, value }: FieldProps<'unknown'>) {
  return (
    <FieldShell field={field} path={path}>
      {(ids) => <textarea id={ids.id} className="cf-input" readOnly value={JSON.stringify(value ?? null, null, 2)} aria-describedby={ids.describedBy} />}
    </FieldShell>
  );
}
