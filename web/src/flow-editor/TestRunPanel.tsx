import { useState } from 'react';
import type { ExecutionDetail } from '../api/flows';
import { Link } from '../router';

interface Props {
  orgId: string;
  initialPayload: unknown;
  canRun: boolean;
  /** Why a run is not possible now (errors in the draft), if so. */
  blocked?: string;
  run: ExecutionDetail | undefined;
  busy: boolean;
  onRun: (payload: unknown) => Promise<void>;
}

const pretty = (value: unknown) => (value === undefined || value === null ? '{\n  \n}' : JSON.stringify(value, null, 2));

/** Runs the saved draft with a JSON payload (the trigger's body), remembered per workflow. */
export function TestRunPanel({ orgId, initialPayload, canRun, blocked, run, busy, onRun }: Props) {
  const [text, setText] = useState(() => pretty(initialPayload));
  const [parseError, setParseError] = useState<string>();

  const start = async () => {
    let payload: unknown;
    try {
      payload = text.trim() === '' ? null : JSON.parse(text);
    } catch (e) {
      setParseError(`Not valid JSON: ${(e as Error).message}`);
      return;
    }
    setParseError(undefined);
    await onRun(payload);
  };

  return (
    <section className="test-run" aria-label="Test run">
      <label className="field">
        <span>Test payload (JSON)</span>
        <textarea
          rows={8}
          spellCheck={false}
          className="code"
          value={text}
          aria-invalid={parseError ? true : undefined}
          onChange={(e) => setText(e.target.value)}
        />
        <small className="muted">The trigger receives it as its body: read it as {'{{ trigger.body }}'}.</small>
        {parseError && <small className="field-error">{parseError}</small>}
      </label>
      <button type="button" className="btn-primary" onClick={() => void start()} disabled={!canRun || busy || !!blocked} title={blocked}>
        {busy ? 'Starting…' : 'Run test'}
      </button>
      {blocked && <p className="muted">{blocked}</p>}
      {run && (
        <p className="test-run-status" data-testid="test-run-status" data-status={run.status}>
          Run <strong>{run.status}</strong> ·{' '}
          <Link to={`/orgs/${orgId}/executions/${run.id}`}>open execution</Link>
        </p>
      )}
    </section>
  );
}
