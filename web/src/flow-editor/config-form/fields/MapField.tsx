import { useRef, useState } from 'react';
import { ExpressionInput } from '../ExpressionInput';
import { GroupShell } from '../FieldShell';
import type { FieldProps } from '../field-props';
import { domId, useForm } from '../form-context';
import type { MapValueKind } from '../schema-fields';
import { useDraft } from '../use-draft';
import { formatJson, isPlainObject, parseJson, sameJson } from '../values';

interface Row {
  id: number;
  key: string;
  value: unknown;
}

function objectOf(rows: readonly Row[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const row of rows) if (row.key !== '' && row.value !== undefined) out[row.key] = row.value;
  return out;
}

/**
 * Names to values (headers, query parameters, data fields), one row each. Rows are kept as
 * typed (a new row has no name yet); the object of the named ones is emitted, and no rows
 * clears an optional field.
 */
export function MapField({ field, path, value, onChange }: FieldProps<'map'>) {
  const { idPrefix, readOnly } = useForm();
  const nextId = useRef(0);
  const rowsOf = (v: unknown): Row[] => (isPlainObject(v) ? Object.entries(v).map(([key, val]) => ({ id: nextId.current++, key, value: val })) : []);
  const [state, setState] = useState(() => ({ rows: rowsOf(value), seen: value }));
  let rows = state.rows;
  if (!Object.is(state.seen, value)) {
    if (!sameJson(objectOf(rows), isPlainObject(value) ? value : {})) rows = rowsOf(value);
    setState({ rows, seen: value });
  }
  function update(next: Row[]) {
    setState({ rows: next, seen: value });
    const object = objectOf(next);
    onChange(Object.keys(object).length === 0 && !field.required ? undefined : object);
  }
  const edit = (id: number, change: Partial<Row>) => update(rows.map((r) => (r.id === id ? { ...r, ...change } : r)));
  const keys = rows.map((r) => r.key).filter((k) => k !== '');
  const duplicate = keys.find((k, i) => keys.indexOf(k) !== i);
  const base = domId(idPrefix, path);
  return (
    <GroupShell field={field} path={path} localError={duplicate === undefined ? undefined : `“${duplicate}” is set twice; the last one wins`}>
      {() => (
        <div className="cf-rows">
          {rows.length === 0 && <p className="cf-empty">None.</p>}
          {rows.map((row, i) => {
            const n = i + 1;
            return (
              <div key={row.id} className="cf-row cf-map-row">
                <div className="cf-cell">
                  <label htmlFor={`${base}-key-${row.id}`}>{`${field.keyLabel} ${n}`}</label>
                  <input
                    id={`${base}-key-${row.id}`}
                    type="text"
                    className="cf-input"
                    value={row.key}
                    readOnly={readOnly}
                    spellCheck={false}
                    onChange={(event) => edit(row.id, { key: event.target.value })}
                  />
                </div>
                <div className="cf-cell cf-cell-wide">
                  <label htmlFor={`${base}-value-${row.id}`}>{`${field.valueLabel} ${n}`}</label>
                  <MapValue kind={field.valueKind} id={`${base}-value-${row.id}`} value={row.value} onChange={(v) => edit(row.id, { value: v })} />
                </div>
                {!readOnly && (
                  <button type="button" className="cf-button" aria-label={`Remove ${field.keyLabel.toLowerCase()} ${n}`} onClick={() => update(rows.filter((r) => r.id !== row.id))}>
                    Remove
                  </button>
                )}
              </div>
            );
          })}
          {!readOnly && (
            <button type="button" className="cf-button" onClick={() => setState({ rows: [...rows, { id: nextId.current++, key: '', value: field.valueKind === 'json' ? undefined : '' }], seen: value })}>
              Add {field.keyLabel.toLowerCase()}
            </button>
          )}
        </div>
      )}
    </GroupShell>
  );
}

function MapValue({ kind, id, value, onChange }: { kind: MapValueKind; id: string; value: unknown; onChange(v: unknown): void }) {
  const { readOnly } = useForm();
  if (kind === 'json') return <JsonCell id={id} value={value} onChange={onChange} />;
  const text = typeof value === 'string' ? value : '';
  if (kind === 'expression') return <ExpressionInput id={id} value={text} onChange={onChange} />;
  return <input id={id} type="text" className="cf-input" value={text} readOnly={readOnly} onChange={(event) => onChange(event.target.value)} />;
}

/** A JSON value in a row: its parse error is shown under it. */
function JsonCell({ id, value, onChange }: { id: string; value: unknown; onChange(v: unknown): void }) {
  const draft = useDraft(value, formatJson, parseJson, onChange);
  return (
    <>
      <ExpressionInput id={id} value={draft.text} describedBy={draft.error ? `${id}-error` : undefined} invalid={draft.error !== undefined} onChange={draft.setText} />
      {draft.error && (
        <p id={`${id}-error`} className="cf-problems">
          {draft.error}
        </p>
      )}
    </>
  );
}
