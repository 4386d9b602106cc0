import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, useId } from 'react';

interface FieldProps {
  label: string;
  /** The request field it edits, as the API names it in problem `errors[].path`. */
  name: string;
  error?: string;
  hint?: ReactNode;
}

/** Wires a control to its label, hint and error (aria-describedby), as every form field needs. */
function useFieldIds(error: string | undefined, hint: ReactNode) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return { id, hintId: `${id}-hint`, errorId: `${id}-error`, describedBy };
}

export function TextField({ label, name, error, hint, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const ids = useFieldIds(error, hint);
  return (
    <div className="field">
      <label htmlFor={ids.id}>{label}</label>
      <input id={ids.id} name={name} aria-invalid={error ? true : undefined} aria-describedby={ids.describedBy} {...input} />
      <FieldHelp ids={ids} name={name} error={error} hint={hint} />
    </div>
  );
}

export function SelectField({ label, name, error, hint, children, ...select }: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const ids = useFieldIds(error, hint);
  return (
    <div className="field">
      <label htmlFor={ids.id}>{label}</label>
      <select id={ids.id} name={name} aria-invalid={error ? true : undefined} aria-describedby={ids.describedBy} {...select}>
        {children}
      </select>
      <FieldHelp ids={ids} name={name} error={error} hint={hint} />
    </div>
  );
}

function FieldHelp(props: { ids: { hintId: string; errorId: string }; name: string; error?: string; hint?: ReactNode }) {
  return (
    <>
      {props.hint && (
        <p id={props.ids.hintId} className="field-hint">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={props.ids.errorId} className="field-error" data-testid={`error-${props.name}`}>
          {props.error}
        </p>
      )}
    </>
  );
}
