import { Fields } from '../FieldRenderer';
import { GroupShell } from '../FieldShell';
import type { FieldProps } from '../field-props';
import { useForm } from '../form-context';
import { fieldPath } from '../problems';
import { initialObject } from './ObjectField';

/**
 * Rows of objects (switch cases): each row is a <fieldset> named "<item> <n>" ("Case 1") with
 * its sub-fields, and buttons to move it up or down and remove it.
 */
export function ObjectListField({ field, path, value, onChange }: FieldProps<'objectList'>) {
  const { readOnly, problemsAt } = useForm();
  const rows = Array.isArray(value) ? (value as unknown[]) : [];
  const emit = (next: unknown[]) => onChange(next.length === 0 && !field.required ? undefined : next);
  const move = (from: number, to: number) => {
    const next = [...rows];
    const [row] = next.splice(from, 1);
    next.splice(to, 0, row);
    emit(next);
  };
  const full = field.maxItems !== undefined && rows.length >= field.maxItems;
  return (
    <GroupShell field={field} path={path}>
      {() => (
        <div className="cf-rows">
          {rows.length === 0 && <p className="cf-empty">None.</p>}
          {rows.map((row, i) => {
            const name = `${field.itemLabel} ${i + 1}`;
            const rowPath = fieldPath(path, i);
            const rowProblems = problemsAt(rowPath);
            return (
              // Rows have no identity but their place: they are keyed by it, like the config.
              <fieldset key={i} className="cf-row cf-list-row" data-path={rowPath}>
                <legend>{name}</legend>
                {rowProblems.length > 0 && (
                  <ul className="cf-problems">
                    {rowProblems.map((m, j) => (
                      <li key={j}>{m}</li>
                    ))}
                  </ul>
                )}
                <Fields fields={field.fields} path={rowPath} value={row} onChange={(next) => emit(rows.map((r, j) => (j === i ? next : r)))} />
                {!readOnly && (
                  <div className="cf-row-actions">
                    <button type="button" className="cf-button" aria-label={`Move ${name} up`} disabled={i === 0} onClick={() => move(i, i - 1)}>
                      Up
                    </button>
                    <button type="button" className="cf-button" aria-label={`Move ${name} down`} disabled={i === rows.length - 1} onClick={() => move(i, i + 1)}>
                      Down
                    </button>
                    <button type="button" className="cf-button" aria-label={`Remove ${name}`} onClick={() => emit(rows.filter((_, j) => j !== i))}>
                      Remove
                    </button>
                  </div>
                )}
              </fieldset>
            );
          })}
          {!readOnly && (
            <button type="button" className="cf-button" disabled={full} onClick={() => emit([...rows, initialObject(field.fields)])}>
              Add {field.itemLabel.toLowerCase()}
            </button>
          )}
        </div>
      )}
    </GroupShell>
  );
}
