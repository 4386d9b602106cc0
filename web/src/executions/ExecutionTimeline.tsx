import { useState } from 'react';
import type { ExecutionDetail } from '../api/flows';
import { StatusBadge } from '../components/StatusBadge';
import { formatDuration } from './format';
import { RerunButton } from './RerunDialog';
import { StepDetails } from './StepDetails';
import { runAxis, timelineRows, type TimelineRow } from './timeline';

interface Props {
  orgId: string;
  execution: ExecutionDetail;
  canRerun: boolean;
  now: number;
}

/** One row per node run, each with a bar on the run's shared time axis; a row opens its details. */
export function ExecutionTimeline({ orgId, execution, canRerun, now }: Props) {
  const axis = runAxis(execution, now);
  const rows = timelineRows(execution, axis, now);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (key: string) =>
    setOpen((o) => {
      const next = new Set(o);
      if (!next.delete(key)) next.add(key);
      return next;
    });

  if (rows.length === 0) return <p className="muted">No node has run yet.</p>;
  return (
    <div className="timeline">
      <div className="timeline-axis" aria-hidden="true">
        <span />
        <span />
        <span className="timeline-axis-scale">
          <span>0</span>
          <span>{formatDuration(axis.span)}</span>
        </span>
        <span />
      </div>
      <ul className="timeline-rows" aria-label="Steps">
        {rows.map((row) => (
          <StepRow
            key={row.key}
            orgId={orgId}
            executionId={execution.id}
            row={row}
            expanded={open.has(row.key)}
            onToggle={() => toggle(row.key)}
            canRerun={canRerun && row.iteration === ''}
          />
        ))}
      </ul>
    </div>
  );
}

function StepRow(props: { orgId: string; executionId: string; row: TimelineRow; expanded: boolean; onToggle: () => void; canRerun: boolean }) {
  const { row, expanded } = props;
  const detailsId = `step-details-${row.key}`;
  const attempts = row.attempt && row.attempt > 1 ? `${row.attempt} attempts` : row.attempt === 1 ? '1 attempt' : '';
  const duration = row.step?.startedAt ? (row.step.finishedAt ? Date.parse(row.step.finishedAt) : Date.now()) - Date.parse(row.step.startedAt) : undefined;
  return (
    <li className={`step-row step-${row.status}`} data-testid={`step-row-${row.key}`} data-status={row.status}>
      <div className="step-line">
        <button type="button" className="step-toggle" aria-expanded={expanded} aria-controls={expanded ? detailsId : undefined} onClick={props.onToggle}>
          <span className="step-caret" aria-hidden="true">
            {expanded ? '▾' : '▸'}
          </span>
          <span className="step-node">{row.nodeId}</span>
          {row.iteration && <span className="step-iteration">#{row.iteration}</span>}
          <span className="step-type muted">{row.nodeType}</span>
        </button>
        <span className="step-status">
          <StatusBadge status={row.status} />
          {attempts && <span className="step-attempts muted">{attempts}</span>}
        </span>
        <span className="step-track" title={duration === undefined ? undefined : formatDuration(duration)}>
          {row.bar && (
            <span
              className={`step-bar${row.bar.open ? ' step-bar-open' : ''}`}
              style={{ left: `${row.bar.left}%`, width: `${row.bar.width}%` }}
              role="img"
              aria-label={`Ran for ${duration === undefined ? 'an unknown time' : formatDuration(duration)}`}
            />
          )}
        </span>
        <span className="step-actions">{props.canRerun && <RerunButton orgId={props.orgId} executionId={props.executionId} nodeId={row.nodeId} />}</span>
      </div>
      {expanded && (
        <div id={detailsId}>
          <StepDetails row={row} />
        </div>
      )}
    </li>
  );
}
