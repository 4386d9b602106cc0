import { useState } from 'react';
import type { LiveState } from '../api/flows';
import type { Membership } from '../api/types';
import { ApprovalForm, ApprovalMessage } from '../approvals/ApprovalForm';
import { useToast } from '../components/Toasts';
import { may, roleLabel } from '../permissions';

interface Props {
  orgId: string;
  membership: Membership;
  executionId: string;
  waiting: LiveState['waitingApprovals'];
  onDecided: () => void;
}

/** The run's approval steps waiting now, with the decision form for whoever may take it. */
export function WaitingApprovals({ orgId, membership, executionId, waiting, onDecided }: Props) {
  const toast = useToast();
  const canApprove = may(membership, 'executions', 'approve');
  // The run needs a moment to act on a decision: until then its live state still lists the step.
  const [decided, setDecided] = useState<ReadonlySet<string>>(new Set());
  const pending = waiting.filter((w) => !decided.has(w.nodeId));
  if (pending.length === 0) return null;
  return (
    <section className="panel waiting-approvals" aria-labelledby="waiting-title">
      <h2 id="waiting-title">Waiting for approval</h2>
      {pending.map((w) => {
        const allowed = canApprove && (w.approverRoles.length === 0 || w.approverRoles.includes(membership.role));
        return (
          <div key={w.nodeId} className="waiting-approval" data-testid={`waiting-approval-${w.nodeId}`}>
            <h3>{w.nodeId}</h3>
            <ApprovalMessage message={w.message} />
            {allowed ? (
              <ApprovalForm
                orgId={orgId}
                executionId={executionId}
                nodeId={w.nodeId}
                context={pending.length > 1 ? w.nodeId : undefined}
                onDecided={(d) => {
                  setDecided((all) => new Set(all).add(w.nodeId));
                  toast.success(d === 'approve' ? 'Approved' : 'Rejected', w.nodeId);
                  onDecided();
                }}
              />
            ) : (
              <p className="muted">
                {w.approverRoles.length > 0 ? `Waiting for a decision by: ${w.approverRoles.map(roleLabel).join(', ')}.` : 'Waiting for a decision by a member who may approve runs.'}
              </p>
            )}
          </div>
        );
      })}
    </section>
  );
}
