import { useEffect, useState } from 'react';
import type { Problem } from '../../../flows/types';
import type { ExecutionStep } from '../api/flows';
import { ConfigForm } from './config-form';
import { JsonBlock } from './JsonBlock';
import { entryOf, useNodeKit } from './node-kit';

interface Props {
  nodeId: string;
  type: string;
  config: Record<string, unknown>;
  problems: Problem[];
  suggestions: string[];
  /** The node's steps in the last run; left out where nothing runs from the editor. */
  steps?: ExecutionStep[];
  readOnly: boolean;
  onChange: (config: Record<string, unknown>) => void;
  /** Returns why the new id is refused, or undefined when it was applied. */
  onRename: (to: string) => string | undefined;
}

/** The selected node: its id, its config form (generated from the type's schema) and its last run. */
export function Inspector({ nodeId, type, config, problems, suggestions, steps, readOnly, onChange, onRename }: Props) {
  const kit = useNodeKit();
  const nodeType = entryOf(kit, type);
  const schema = nodeType?.configSchema;
  const [id, setId] = useState(nodeId);
  const [idError, setIdError] = useState<string>();
  useEffect(() => {
    setId(nodeId);
    setIdError(undefined);
  }, [nodeId]);

  // The compiler says "data.url"; the form's paths are inside the config.
  const fieldProblems = problems
    .filter((p) => p.path.startsWith('data'))
    .map((p) => ({ path: p.path.replace(/^data\.?/, ''), message: p.message }));
  const nodeProblems = problems.filter((p) => !p.path.startsWith('data'));

  const rename = () => {
    const to = id.trim();
    if (to === nodeId) return;
    const problem = onRename(to);
    setIdError(problem);
  };

  return (
    <section className="inspector" aria-label={`Node ${nodeId}`}>
      <header>
        <h2>{nodeType?.label ?? type}</h2>
        <p className="muted">{nodeType?.description ?? `Unknown node type "${type}"`}</p>
      </header>
      <label className="field">
        <span>Node ID</span>
        <input
          value={id}
          readOnly={readOnly}
          aria-invalid={idError ? true : undefined}
          onChange={(e) => setId(e.target.value)}
          onBlur={rename}
          onKeyDown={(e) => e.key === 'Enter' && rename()}
        />
        <small className="muted">{kit.idHint(nodeId)}</small>
        {idError && <small className="field-error">{idError}</small>}
      </label>
      {nodeProblems.map((p, i) => (
        <p key={i} className={`problem problem-${p.severity}`}>
          {p.message}
        </p>
      ))}
      {schema ? (
        <ConfigForm schema={schema} value={config} onChange={onChange} problems={fieldProblems} suggestions={suggestions} readOnly={readOnly} idPrefix={`cfg-${nodeId}`} />
      ) : null}
      {steps && <RunData steps={steps} />}
    </section>
  );
}

function RunData({ steps }: { steps: ExecutionStep[] }) {
  if (steps.length === 0) return <p className="muted run-data-empty">Run the flow to see this node's input and output.</p>;
  return (
    <section className="run-data" aria-label="Last run of this node">
      <h3>Last run</h3>
      {steps.map((s) => (
        <div key={`${s.iteration}-${s.attempt}`} className={`run-step status-${s.status}`}>
          <p>
            <strong>{s.status}</strong>
            {s.iteration ? ` · item ${s.iteration}` : ''} · attempt {s.attempt}
            {s.startedAt && s.finishedAt ? ` · ${Date.parse(s.finishedAt) - Date.parse(s.startedAt)} ms` : ''}
          </p>
          {s.error && <p className="field-error" role="status">{s.error.message}</p>}
          <h4>Input</h4>
          <JsonBlock value={s.input} label="Input" />
          <h4>Output</h4>
          <JsonBlock value={s.output} label="Output" />
          {s.outputTruncated && <p className="muted">The output was too large to keep in full.</p>}
        </div>
      ))}
    </section>
  );
}
