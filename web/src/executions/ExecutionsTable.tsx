import type { Execution } from '../api/flows';
import { StatusBadge } from '../components/StatusBadge';
import { Link } from '../router';
import { durationBetween, executionPath, formatDuration, formatTime, triggerLabel, versionLabel } from './format';

export function ExecutionsTable({ orgId, items }: { orgId: string; items: Execution[] }) {
  return (
    <table className="table executions-table">
      <thead>
        <tr>
          <th scope="col">Status</th>
          <th scope="col">Workflow</th>
          <th scope="col">Trigger</th>
          <th scope="col">Version</th>
          <th scope="col">Started</th>
          <th scope="col">Duration</th>
        </tr>
      </thead>
      <tbody>
        {items.map((e) => (
          <ExecutionRow key={e.id} orgId={orgId} execution={e} />
        ))}
      </tbody>
    </table>
  );
}

function ExecutionRow({ orgId, execution: e }: { orgId: string; execution: Execution }) {
  const started = e.startedAt ?? e.createdAt;
  const duration = durationBetween(e.startedAt, e.finishedAt);
  return (
    <tr data-testid={`execution-row-${e.id}`}>
      <td>
        <StatusBadge status={e.status} />
      </td>
      <td>
        {/* The row's link: its name says which run it opens. */}
        <Link to={executionPath(orgId, e.id)} aria-label={`${e.workflowName || 'Workflow'}, ${formatTime(started)}`}>
          {e.workflowName || 'Workflow'}
        </Link>
      </td>
      <td>
        {triggerLabel(e.triggerType)}
        {e.test && <span className="tag tag-test">test</span>}
      </td>
      <td>{versionLabel(e)}</td>
      <td>
        <time dateTime={started}>{formatTime(started)}</time>
      </td>
      <td>{duration === undefined ? '—' : e.finishedAt ? formatDuration(duration) : <span className="muted">{formatDuration(duration)}…</span>}</td>
    </tr>
  );
}
