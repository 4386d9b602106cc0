import { useId, useState } from 'react';
import { decideApproval } from '../api/flows';
import { JsonView } from '../components/JsonView';
import { useToast } from '../components/Toasts';
import './approvals.css';

export type Decision = 'approve' | 'reject';

/** What the approval node asks: its message is a string, or any JSON the flow computed. */
export function ApprovalMessage({ message }: { message: unknown }) {
  if (message === undefined || message === null || message === '') return <p className="muted">No message.</p>;
  if (typeof message === 'string') return <p className="approval-message">{message}</p>;
  return <JsonView value={message} label="Approval message" />;
}

interface Props {
  orgId: string;
  executionId: string;
  nodeId: string;
  /** Names the node in the buttons' accessible names, where several approvals share a page. */
  context?: string;
  onDecided: (decision: Decision) => void;
}

/** A comment and Approve / Reject: the decision is signalled to the waiting run. */
export function ApprovalForm({ orgId, executionId, nodeId, context, onDecided }: Props) {
  const id = useId();
  const toast = useToast();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<Decision>();

  const decide = async (decision: Decision) => {
    setBusy(decision);
    try {
      await decideApproval(orgId, executionId, nodeId, decision, comment.trim() || undefined);
      setComment('');
      onDecided(decision);
    } catch (e) {
      toast.error(e, decision === 'approve' ? 'Could not approve' : 'Could not reject');
    } finally {
      setBusy(undefined);
    }
  };
  const suffix = context ? `: ${context}` : '';

  return (
    <div className="approval-form">
      <div className="field">
        <label htmlFor={`${id}-comment`}>Comment</label>
        <textarea id={`${id}-comment`} rows={2} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} placeholder="Optional: why you decided so" />
      </div>
      <div className="actions">
        <button type="button" className="btn-danger-outline" disabled={busy !== undefined} aria-label={`Reject${suffix}`} onClick={() => void decide('reject')}>
          {busy === 'reject' ? 'Rejecting…' : 'Reject'}
        </button>
        <button type="button" className="btn-primary" disabled={busy !== undefined} aria-label={`Approve${suffix}`} onClick={() => void decide('approve')}>
          {busy === 'approve' ? 'Approving…' : 'Approve'}
        </button>
      </div>
    </div>
  );
}
