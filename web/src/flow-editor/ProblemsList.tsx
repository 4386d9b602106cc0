import type { Problem } from '../../../flows/types';

/** Every problem the compiler found; choosing one selects the node it is about. */
export function ProblemsList({ problems, checking, onPick }: { problems: Problem[]; checking: boolean; onPick: (p: Problem) => void }) {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  return (
    <section className="problems" aria-label="Problems">
      <h2>
        Problems{' '}
        <span className="muted" data-testid="problem-count">
          {errors === 0 && warnings === 0 ? 'none' : `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`}
        </span>
        {checking && <span className="muted"> · checking…</span>}
      </h2>
      {problems.length > 0 && (
        <ul>
          {problems.map((p, i) => (
            <li key={`${p.nodeId ?? p.edgeId ?? ''}-${p.path}-${i}`} className={`problem problem-${p.severity}`}>
              <button type="button" className="link-button" onClick={() => onPick(p)} disabled={!p.nodeId}>
                {p.nodeId ? <code>{p.nodeId}</code> : p.edgeId ? <code>edge {p.edgeId}</code> : <code>flow</code>}
                {p.path ? <span className="muted"> {p.path}</span> : null}
                {': '}
                {p.message}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
