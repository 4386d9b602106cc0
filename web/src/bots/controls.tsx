// Form controls the bot pages need beyond components/Field: long text and groups of choices,
// wired to their label, hint and error the same way.
import { type ReactNode, type TextareaHTMLAttributes, useId } from 'react';

interface HelpProps {
  name: string;
  error?: string;
  hint?: ReactNode;
}

function Help({ id, name, error, hint }: HelpProps & { id: string }) {
  return (
    <>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error" data-testid={`error-${name}`}>
          {error}
        </p>
      )}
    </>
  );
}

const describedBy = (id: string, error?: string, hint?: ReactNode) => [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

export function TextAreaField({ label, name, error, hint, ...area }: HelpProps & { label: string } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, error, hint)} {...area} />
      <Help id={id} name={name} error={error} hint={hint} />
    </div>
  );
}

interface ChoicesProps<T extends string> extends HelpProps {
  legend: string;
  options: Record<T, string>;
  selected: readonly T[];
  onChange: (selected: T[]) => void;
}

/** Checkboxes for a set of values; the selection keeps the options' order. */
export function CheckboxGroup<T extends string>({ legend, name, error, hint, options, selected, onChange }: ChoicesProps<T>) {
  const id = useId();
  const keys = Object.keys(options) as T[];
  const toggle = (value: T, on: boolean) => onChange(keys.filter((k) => (k === value ? on : selected.includes(k))));
  return (
    <fieldset className="bot-fieldset" aria-describedby={describedBy(id, error, hint)}>
      <legend>{legend}</legend>
      <div className="bot-choices">
        {keys.map((k) => (
          <label key={k} className="bot-choice">
            <input type="checkbox" name={name} value={k} checked={selected.includes(k)} onChange={(e) => toggle(k, e.target.checked)} />
            {options[k]}
          </label>
        ))}
      </div>
      <Help id={id} name={name} error={error} hint={hint} />
    </fieldset>
  );
}

interface RadioProps<T extends string> extends HelpProps {
  legend: string;
  options: Record<T, { label: string; explanation: string }>;
  value: T;
  onChange: (value: T) => void;
}

/** One of a few values, each with a line saying what it means. */
export function RadioGroup<T extends string>({ legend, name, error, hint, options, value, onChange }: RadioProps<T>) {
  const id = useId();
  return (
    <fieldset className="bot-fieldset" aria-describedby={describedBy(id, error, hint)}>
      <legend>{legend}</legend>
      {(Object.keys(options) as T[]).map((k) => (
        <label key={k} className="bot-radio">
          <input type="radio" name={name} value={k} checked={value === k} aria-describedby={`${id}-${k}`} onChange={() => onChange(k)} />
          <span>
            <strong>{options[k].label}</strong>{' '}
            <span id={`${id}-${k}`} className="muted">
              {options[k].explanation}
            </span>
          </span>
        </label>
      ))}
      <Help id={id} name={name} error={error} hint={hint} />
    </fieldset>
  );
}
