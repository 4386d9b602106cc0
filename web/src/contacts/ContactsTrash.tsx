import { useState } from 'react';
import { type Contact, restoreContact } from '../api/contacts';
import { useToast } from '../components/Toasts';
import { formatTime } from '../executions/format';
import { Link } from '../router';
import { contactName, contactPath } from './format';

/** Whether someone here may still restore it: deleted in Flowline and inside the trash window. */
export function restorable(c: Pick<Contact, 'deletedBy' | 'restorableUntil'>, now = Date.now()): boolean {
  return c.deletedBy === 'user' && c.restorableUntil !== null && Date.parse(c.restorableUntil) > now;
}

/** A button that brings a contact deleted here back; the server's refusal shows as a toast. */
export function RestoreContactButton({ orgId, contact, onRestored }: { orgId: string; contact: Contact; onRestored: (c: Contact) => void }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const restore = async () => {
    setBusy(true);
    try {
      const restored = await restoreContact(orgId, contact.id);
      toast.success(`${contactName(contact)} is restored`);
      onRestored(restored);
    } catch (e) {
      toast.error(e, `Could not restore ${contactName(contact)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" aria-label={`Restore ${contactName(contact)}`} disabled={busy} onClick={() => void restore()}>
      Restore
    </button>
  );
}

interface Props {
  orgId: string;
  items: Contact[];
  canRestore: boolean;
  onRestored: () => void;
}

/** The trash: contacts deleted here (restorable until their window ends) and those GHL deleted. */
export function ContactsTrashTable({ orgId, items, canRestore, onRestored }: Props) {
  return (
    <table className="table contacts-table" aria-label="Deleted contacts">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Email</th>
          <th scope="col">Deleted</th>
          <th scope="col">Deleted by</th>
          <th scope="col">Restorable until</th>
          {canRestore && <th scope="col">Actions</th>}
        </tr>
      </thead>
      <tbody>
        {items.map((c) => (
          <tr key={c.id} data-testid={`trash-row-${c.ghlContactId}`}>
            <td>
              <Link to={contactPath(orgId, c.id)}>{contactName(c)}</Link>
            </td>
            <td className="contact-email">{c.email ?? '—'}</td>
            <td>{c.deletedAt ? <time dateTime={c.deletedAt}>{formatTime(c.deletedAt)}</time> : '—'}</td>
            <td>{c.deletedBy === 'ghl' ? 'GoHighLevel' : 'Flowline'}</td>
            <td>
              {c.deletedBy === 'ghl' ? (
                <span className="muted">Restore it in GoHighLevel</span>
              ) : c.restorableUntil ? (
                <time dateTime={c.restorableUntil}>{formatTime(c.restorableUntil)}</time>
              ) : (
                '—'
              )}
            </td>
            {canRestore && <td>{restorable(c) && <RestoreContactButton orgId={orgId} contact={c} onRestored={onRestored} />}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
