import { type ReactNode, useId, useRef, useState } from 'react';
import { ErrorAlert } from './Notices';

interface Props {
  /** The button's visible text. */
  children: ReactNode;
  /** The button's accessible name when its text is ambiguous in a list ("Remove" on every row). */
  label?: string;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  className?: string;
}

/** A button that asks first, in a modal dialog; a failure stays in the dialog. */
export function ConfirmButton({ children, label, title, message, confirmLabel, onConfirm, className }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      dialog.current?.close();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className={className} aria-label={label} onClick={() => dialog.current?.showModal()}>
        {children}
      </button>
      <dialog ref={dialog} className="dialog" aria-labelledby={titleId} onClose={() => setError(undefined)}>
        <h2 id={titleId}>{title}</h2>
        <div className="dialog-body">{message}</div>
        <ErrorAlert message={error} />
        <div className="actions">
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="button" className="btn-danger" disabled={busy} onClick={() => void confirm()}>
            {confirmLabel}
          </button>
        </div>
      </dialog>
    </>
  );
}
