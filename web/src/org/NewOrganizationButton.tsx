import { useId, useRef } from 'react';
import { NewOrganizationForm } from '../components/NewOrganizationForm';

export function NewOrganizationButton() {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = () => dialog.current?.close();
  return (
    <>
      <button type="button" onClick={() => dialog.current?.showModal()}>
        New organization
      </button>
      <dialog ref={dialog} className="dialog" aria-labelledby={titleId}>
        <h2 id={titleId}>New organization</h2>
        <p className="muted">You will be its owner, on the free plan.</p>
        <NewOrganizationForm onCancel={close} />
      </dialog>
    </>
  );
}
