/*
 * Label, help and problems around one control: the control gets the id, aria-describedby and
 * aria-invalid it needs from `children(ids)`.
 */
import type { ReactNode } from 'react';
import { domId, useForm } from './form-context';
import type { FieldDescriptor } from './schema-fields';

export interface ControlIds {
  id: string;
  describedBy: string | undefined;
  invalid: boolean;
}

interface ShellProps {
  field: FieldDescriptor;
  path: string;
  /** A problem found while reading the input (bad JSON), shown with the schema problems. */
  localError?: string;
  /** Extra help under the description (the default when it is not a placeholder). */
  note?: ReactNode;
  children(ids: ControlIds): ReactNode;
}

/** One control with a <label>. */
export function FieldShell({ field, path, localError, note, children }: ShellProps) {
  const { idPrefix } = useForm();
  const id = domId(idPrefix, path);
  const help = useHelp(field, path, id, localError, note);
  return (
    <div className={`cf-field cf-kind-${field.kind}`} data-path={path}>
      <label className="cf-label" htmlFor={id}>
        {field.label}
      </label>
      {children({ id, describedBy: help.describedBy, invalid: help.invalid })}
      {help.node}
    </div>
  );
}

/** Several controls under a <fieldset> whose <legend> names them. */
export function GroupShell({ field, path, localError, note, children }: ShellProps) {
  const { idPrefix } = useForm();
  const id = domId(idPrefix, path);
  const help = useHelp(field, path, id, localError, note);
  return (
    <fieldset className={`cf-group cf-kind-${field.kind}`} data-path={path} aria-describedby={help.describedBy} aria-invalid={help.invalid || undefined}>
      <legend className="cf-label">{field.label}</legend>
      {help.node}
      {children({ id, describedBy: help.describedBy, invalid: help.invalid })}
    </fieldset>
  );
}

/** Help and problems after custom controls (a checkbox before its label). */
export function FieldHelp({ field, path, id, localError, note, children }: Omit<ShellProps, 'children'> & { id: string; children(ids: ControlIds): ReactNode }) {
  const help = useHelp(field, path, id, localError, note);
  return (
    <>
      {children({ id, describedBy: help.describedBy, invalid: help.invalid })}
      {help.node}
    </>
  );
}

function useHelp(field: FieldDescriptor, path: string, id: string, localError: string | undefined, note: ReactNode) {
  const { problemsAt } = useForm();
  const messages = [...(localError ? [localError] : []), ...problemsAt(path)];
  const hasHelp = Boolean(field.description || note || field.required);
  const describedBy = [hasHelp ? `${id}-help` : '', messages.length ? `${id}-problems` : ''].filter(Boolean).join(' ') || undefined;
  const node = (
    <>
      {hasHelp && (
        <p id={`${id}-help`} className="cf-help">
          {field.required && <span className="cf-required">Required. </span>}
          {field.description}
          {note && <> {note}</>}
        </p>
      )}
      {messages.length > 0 && (
        <ul id={`${id}-problems`} className="cf-problems">
          {messages.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
        </ul>
      )}
    </>
  );
  return { describedBy, invalid: messages.length > 0, node };
}
