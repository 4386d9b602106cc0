import { JsonView } from '../components/JsonView';
import { durationBetween, formatDuration, formatTime } from './format';
import { recordedDecision, type TimelineRow } from './timeline';

/** A step's input, output, error, attempts and (for approvals) the decision. */
export function StepDetails({ row }: { row: TimelineRow }) {
  const { step } = row;
  const decision = recordedDecision(step);
  if (!step) {
    return (
      <div className="step-details">
        <p className="muted">No step recorded yet: the run reports this node as {row.status}.</p>
        {row.liveError && <StepError message={row.liveError} />}
      </div>
    );
  }
  const duration = durationBetween(step.startedAt, step.finishedAt);
  const errorAttempts = (step.error as { attempts?: number } | null)?.attempts;
  return (
    <div className="step-details">
      <dl className="facts step-facts">
        <dt>Started</dt>
        <dd>{formatTime(step.startedAt)}</dd>
        <dt>Finished</dt>
        <dd>{formatTime(step.finishedAt)}</dd>
        <dt>Duration</dt>
        <dd>{duration === undefined ? '—' : formatDuration(duration)}</dd>
        <dt>Attempts</dt>
        <dd>{errorAttempts ?? step.attempt}</dd>
      </dl>
      {decision && <DecisionSummary decision={decision} />}
      {(step.error || row.liveError) && <StepError message={step.error?.message ?? row.liveError ?? ''} />}
      <h3>Input</h3>
      <JsonView value={step.input} label={`Input of ${row.key}`} />
      <h3>Output</h3>
      {step.outputTruncated && <p className="muted">The output was too large to keep whole; this is its truncated form.</p>}
      <JsonView value={step.output} label={`Output of ${row.key}`} />
    </div>
  );
}

function StepError({ message }: { message: string }) {
  return (
    <div className="step-error" role="note" aria-label="Error">
      <strong>Error:</strong> {message}
    </div>
  );
}

function DecisionSummary({ decision: d }: { decision: NonNullable<ReturnType<typeof recordedDecision>> }) {
  if (d.decision === 'timeout') return <p className="step-decision">No decision in time: the approval timed out.</p>;
  const who = d.decidedBy?.email ?? d.decidedBy?.userId ?? 'someone';
  return (
    <div className="step-decision" data-testid="approval-decision">
      <strong>{d.decision === 'approve' ? 'Approved' : 'Rejected'}</strong> by {who}
      {d.decidedBy?.role && <span className="muted"> ({d.decidedBy.role})</span>}
      {d.decidedAt && (
        <>
          {' '}
          on <time dateTime={d.decidedAt}>{formatTime(d.decidedAt)}</time>
        </>
      )}
      {d.comment && <blockquote>{d.comment}</blockquote>}
    </div>
  );
}
