import { type FormEvent, useId, useState } from 'react';
import type { Calculation } from '../api/commissions';
import { Dialog } from '../components/Dialog';
import { ErrorAlert } from '../components/Notices';
import { formatMinor } from './money';

interface Props {
  calculation: Calculation | undefined;
  onClose: () => void;
  onReject: (calculation: Calculation, comment: string) => Promise<void>;
}

/** Rejecting says why: the rep reads the comment, so it is required. */
export function RejectDialog({ calculation, onClose, onReject }: Props) {
  const id = useId();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [missing, setMissing] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!calculation) return;
    if (!comment.trim()) return setMissing(true);
    setBusy(true);
    setError(undefined);
    try {
      await onReject(calculation, comment.trim());
      setComment('');
      setMissing(false);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    setError(undefined);
    setMissing(false);
    onClose();
  };

  return (
    <Dialog open={calculation !== undefined} title="Reject commission" onClose={close}>
      {calculation && (
        <form className="form" onSubmit={(e) => void submit(e)} noValidate>
          <p className="dialog-body">
            {formatMinor(calculation.amountMinor, calculation.currency)} for {calculation.teamMemberName}
            {calculation.planName ? ` (${calculation.planName})` : ''}.
          </p>
          <div className="field">
            <label htmlFor={`${id}-reason`}>Reason for rejecting</label>
            <textarea
              id={`${id}-reason`}
              rows={3}
              maxLength={2000}
              required
              aria-invalid={missing || undefined}
              aria-describedby={missing ? `${id}-error` : undefined}
              value={comment}
              onChange={(e) => {
                setComment(e.target.value);
                if (e.target.value.trim()) setMissing(false);
              }}
            />
            {missing && (
              <p id={`${id}-error`} className="field-error">
                Say why: the team member will read it.
              </p>
            )}
          </div>
          <ErrorAlert message={error} />
          <div className="actions">
            <button type="button" onClick={close}>
              Cancel
            </button>
            <button type="submit" className="btn-danger" disabled={busy}>
              {busy ? 'Rejecting…' : 'Reject commission'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
