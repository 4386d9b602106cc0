import type { Approval } from '../api/flows';
import { executionPath, formatTime, workflowPath } from '../executions/format';
import { Link } from '../router';
import { ApprovalForm, ApprovalMessage, type Decision } from './ApprovalForm';

export function ApprovalCard({ orgId, approval: a, onDecided }: { orgId: string; approval: Approval; onDecided: (d: Decision) => void }) {
  const titleId = `approval-title-${a.executionId}-${a.nodeId}`;
  return (
    <article className="panel approval-card" aria-labelledby={titleId} data-testid={`approval-${a.executionId}-${a.nodeId}`}>
      <header className="approval-card-head">
        <h2 id={titleId}>
          <Link to={workflowPath(orgId, a.workflowId)}>{a.workflowName}</Link> <span className="muted">· {a.nodeId}</span>
        </h2>
        <span className="muted">
          Waiting since <time dateTime={a.waitingSince}>{formatTime(a.waitingSince)}</time>
        </span>
      </header>
      <ApprovalMessage message={a.message} />
      <p className="approval-meta">
        <Link to={executionPath(orgId, a.executionId)}>Open execution</Link>
        {a.approverRoles.length > 0 && <span className="muted"> · Approvers: {a.approverRoles.join(', ')}</span>}
      </p>
      <ApprovalForm orgId={orgId} executionId={a.executionId} nodeId={a.nodeId} onDecided={onDecided} />
    </article>
  );
}
