import { useId, useState } from 'react';
import type { Calculation } from '../api/commissions';
import { Dialog } from '../components/Dialog';
import { ErrorAlert } from '../components/Notices';
import { formatMinor, totalsByCurrency } from './money';

interface Props {
  open: boolean;
  selected: Calculation[];
  onClose: () => void;
  /** Resolves once the approvals are done (failures per id are the caller's to report). */
  onConfirm: (comment: string | undefined) => Promise<void>;
}

/** "Approve N commissions?" with what they add up to in each currency, and an optional comment. */
export function BulkApproveDialog({ open, selected, onClose, onConfirm }: Props) {
  const id = useId();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const totals = totalsByCurrency(selected);
  const count = selected.length;

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm(comment.trim() || undefined);
      setComment('');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} title={`Approve ${count} commission${count === 1 ? '' : 's'}`} onClose={onClose}>
      <div className="dialog-body" data-testid="bulk-approve-summary">
        <p>
          You are approving <strong>{count}</strong> pending commission{count === 1 ? '' : 's'}, totalling:
        </p>
        <ul className="totals" aria-label="Totals by currency">
          {totals.map((t) => (
            <li key={t.currency}>
              <strong>{formatMinor(t.totalMinor, t.currency)}</strong> <span className="muted">({t.count} commission{t.count === 1 ? '' : 's'})</span>
            </li>
          ))}
        </ul>
        <div className="field">
          <label htmlFor={`${id}-comment`}>Comment (optional)</label>
          <textarea id={`${id}-comment`} rows={2} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
        </div>
      </div>
      <ErrorAlert message={error} />
      <div className="actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="btn-primary" disabled={busy || count === 0} onClick={() => void confirm()}>
          {busy ? 'Approving…' : 'Confirm approval'}
        </button>
      </div>
    </Dialog>
  );
}
