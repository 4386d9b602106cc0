import { useState } from 'react';
import { ExpressionInput } from '../ExpressionInput';
import { FieldShell } from '../FieldShell';
import type { FieldProps } from '../field-props';
import { domId, useForm } from '../form-context';

type Mode = 'true' | 'false' | 'expression';

function modeOf(value: unknown): Mode | undefined {
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return 'expression';
  return undefined;
}

/**
 * true, false, or a `{{ … }}` expression: a select picks which, and in expression mode an
 * expression input (labelled "<label> expression") holds the template.
 */
export function BooleanOrExpressionField({ field, path, value, onChange }: FieldProps<'booleanOrExpression'>) {
  const { idPrefix, readOnly } = useForm();
  // The mode outlives an empty expression (cleared: no value yet, still in expression mode).
  const [chosen, setChosen] = useState<Mode>(() => modeOf(value) ?? 'expression');
  const mode = modeOf(value) ?? chosen;
  const exprId = `${domId(idPrefix, path)}-expression`;
  function choose(next: Mode) {
    setChosen(next);
    if (next === 'expression') onChange(undefined);
    else onChange(next === 'true');
  }
  return (
    <FieldShell field={field} path={path}>
      {(ids) => (
        <div className="cf-either">
          <select
            id={ids.id}
            className="cf-input"
            value={mode}
            disabled={readOnly}
            aria-describedby={ids.describedBy}
            aria-invalid={ids.invalid || undefined}
            onChange={(event) => choose(event.target.value as Mode)}
          >
            <option value="true">Always true</option>
            <option value="false">Always false</option>
            <option value="expression">Expression</option>
          </select>
          {mode === 'expression' && (
            <>
              <label className="cf-sublabel" htmlFor={exprId}>
                {field.label} expression
              </label>
              <ExpressionInput
                id={exprId}
                value={typeof value === 'string' ? value : ''}
                placeholder="{{ … }}"
                describedBy={ids.describedBy}
                invalid={ids.invalid}
                onChange={(text) => onChange(text === '' ? undefined : text)}
              />
            </>
          )}
        </div>
      )}
    </FieldShell>
  );
}
