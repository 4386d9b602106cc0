import { useState } from 'react';
import { TextAreaField } from '../bots/controls';
import { rejectReceipt, type Receipt } from '../api/receipts';
import { Dialog } from '../components/Dialog';
import { ErrorAlert } from '../components/Notices';

interface Props {
  orgId: string;
  receiptId: string;
  onRejected: (receipt: Receipt) => void;
}

/**
 * Rejecting a receipt says why (whoever uploaded it reads the reason), so the reason is required.
 * The dialog sits inside the review form: it holds no form of its own, its buttons submit nothing.
 */
export function RejectButton({ orgId, receiptId, onRejected }: Props) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const reject = async () => {
    if (!reason.trim()) return setMissing(true);
    setBusy(true);
    setError(undefined);
    try {
      const rejected = await rejectReceipt(orgId, receiptId, reason.trim());
      setOpen(false);
      onRejected(rejected);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="btn-danger-outline" onClick={() => setOpen(true)}>
        Reject
      </button>
      <Dialog
        open={open}
        title="Reject receipt"
        onClose={() => {
          setOpen(false);
          setMissing(false);
          setError(undefined);
        }}
      >
        <div className="form">
          <TextAreaField
            label="Reason for rejecting"
            name="reason"
            rows={3}
            maxLength={2000}
            required
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setMissing(false);
            }}
            error={missing ? 'Say why the receipt is rejected.' : undefined}
          />
          <ErrorAlert message={error} />
          <div className="actions">
            <button type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="button" className="btn-danger" disabled={busy} onClick={() => void reject()}>
              Reject receipt
            </button>
          </div>
        </div>
      </Dialog>
    </>
  );
}
