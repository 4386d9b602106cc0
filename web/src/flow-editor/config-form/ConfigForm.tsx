/*
 * The settings form of one node, generated from its config's JSON Schema
 * (nodeCatalog().configSchema). It edits the node's `data`: each edit emits the whole config,
 * with cleared fields removed and defaults left out until edited.
 */
import { useMemo } from 'react';
import { Fields } from './FieldRenderer';
import { FormContext, type FormContextValue } from './form-context';
import { type FormProblem, placeProblems } from './problems';
import { describeConfigSchema } from './schema-fields';

export interface ConfigFormProps {
  /** The config's JSON Schema, from nodeCatalog(). */
  schema: Record<string, unknown>;
  /** The node's config (the definition node's `data`). */
  value: Record<string, unknown>;
  onChange(next: Record<string, unknown>): void;
  /** Paths relative to the config ("url", "cases.0.handle"); "" or unknown paths show on top. */
  problems?: readonly FormProblem[];
  /** Expression paths offered inside {{ … }} ("trigger.body.name", "nodes.fetch.output.status"). */
  suggestions?: readonly string[];
  readOnly?: boolean;
  /** Prefix of every element id (unique per form on the page). */
  idPrefix: string;
}

const NONE: readonly never[] = [];

export function ConfigForm({ schema, value, onChange, problems = NONE, suggestions = NONE, readOnly = false, idPrefix }: ConfigFormProps) {
  const fields = useMemo(() => describeConfigSchema(schema), [schema]);
  const placed = useMemo(() => placeProblems(fields, value, problems), [fields, value, problems]);
  const context = useMemo<FormContextValue>(
    () => ({ idPrefix, readOnly, suggestions, problemsAt: (path) => placed.byField.get(path) ?? NONE }),
    [idPrefix, readOnly, suggestions, placed],
  );
  return (
    <FormContext.Provider value={context}>
      <div className="cf-form" id={idPrefix}>
        {placed.unmatched.length > 0 && (
          <ul className="cf-problems cf-form-problems" aria-label="Problems">
            {placed.unmatched.map((p, i) => (
              <li key={i}>{p.path ? `${p.path}: ${p.message}` : p.message}</li>
            ))}
          </ul>
        )}
        {fields.length === 0 ? <p className="cf-empty">This node has no settings.</p> : <Fields fields={fields} path="" value={value} onChange={onChange} />}
      </div>
    </FormContext.Provider>
  );
}
