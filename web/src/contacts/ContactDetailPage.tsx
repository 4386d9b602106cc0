import { type Contact, deleteContact, getContact } from '../api/contacts';
import type { Membership } from '../api/types';
import { ConfirmButton } from '../components/ConfirmButton';
import { CopyButton } from '../components/CopyButton';
import { JsonView } from '../components/JsonView';
import { ErrorAlert, Loading } from '../components/Notices';
import { formatTime } from '../executions/format';
import { may } from '../permissions';
import { ContactReceiptsPanel } from '../receipts/ContactReceiptsPanel';
import { Link } from '../router';
import { useLoad } from '../use-load';
import { useTitle } from '../use-title';
import { restorable, RestoreContactButton } from './ContactsTrash';
import { ForgetContactPanel } from './ForgetContactPanel';
import { contactName, contactsPath, contactsTrashPath } from './format';
import { TagChips } from './TagChips';
import { assignedLabel, useTeamNames } from './use-team-names';
import './contacts.css';

interface Props {
  orgId: string;
  membership: Membership;
  contactId: string;
}

/** `/orgs/:orgId/contacts/:contactId`: one contact as last synced from GoHighLevel. */
export function ContactDetailPage({ orgId, membership, contactId }: Props) {
  const contact = useLoad((signal) => getContact(orgId, contactId, signal), [orgId, contactId]);
  const teamNames = useTeamNames(orgId, membership);
  useTitle(contact.data ? contactName(contact.data) : 'Contact');
  const canDelete = may(membership, 'contacts', 'delete');

  return (
    <>
      <p className="breadcrumb">
        <Link to={contactsPath(orgId)}>← Contacts</Link>
      </p>
      {!contact.data ? (
        contact.error ? <ErrorAlert message={contact.error.message} /> : <Loading what="the contact" />
      ) : (
        <>
          <ContactView contact={contact.data} teamNames={teamNames} />
          {canDelete && <ContactTrashActions orgId={orgId} contact={contact.data} onChange={contact.reload} />}
          {may(membership, 'receipts', 'read') && <ContactReceiptsPanel orgId={orgId} membership={membership} contactId={contact.data.id} />}
          {canDelete && <ForgetContactPanel orgId={orgId} contactId={contact.data.id} name={contactName(contact.data)} />}
        </>
      )}
    </>
  );
}

/** Delete (here only; GHL keeps the contact) or, from the trash, restore. */
function ContactTrashActions({ orgId, contact: c, onChange }: { orgId: string; contact: Contact; onChange: () => void }) {
  if (c.deletedAt) {
    return restorable(c) ? (
      <div className="actions">
        <RestoreContactButton orgId={orgId} contact={c} onRestored={onChange} />
      </div>
    ) : null;
  }
  return (
    <div className="actions">
      <ConfirmButton
        label={`Delete ${contactName(c)}`}
        title="Delete contact"
        message={
          <p>
            {contactName(c)} is hidden in Flowline: bots stop answering them and their GoHighLevel events start no flows. GoHighLevel keeps the contact.
            You can restore it from <Link to={contactsTrashPath(orgId)}>Deleted contacts</Link> within the organization’s trash period.
          </p>
        }
        confirmLabel="Delete"
        className="btn-danger-outline"
        onConfirm={async () => {
          await deleteContact(orgId, c.id);
          onChange();
        }}
      >
        Delete
      </ConfirmButton>
    </div>
  );
}

function ContactView({ contact: c, teamNames }: { contact: Contact; teamNames: ReadonlyMap<string, string> }) {
  const hasCustomFields = Array.isArray(c.customFields) ? c.customFields.length > 0 : c.customFields && Object.keys(c.customFields).length > 0;
  return (
    <>
      <h1>{contactName(c)}</h1>
      {c.deletedAt && c.deletedBy !== 'user' && (
        <p className="banner banner-error contact-deleted-banner" role="status" data-testid="contact-deleted">
          Deleted in GoHighLevel on <time dateTime={c.deletedAt}>{formatTime(c.deletedAt)}</time>. Flowline keeps the record so a late event cannot bring it back.
        </p>
      )}
      {c.deletedAt && c.deletedBy === 'user' && (
        <p className="banner banner-error contact-deleted-banner" role="status" data-testid="contact-deleted">
          Deleted in Flowline on <time dateTime={c.deletedAt}>{formatTime(c.deletedAt)}</time>: hidden here, bots do not answer it and its GoHighLevel
          events start no flows. GoHighLevel still has it.{' '}
          {c.restorableUntil && (
            <>
              Restorable until <time dateTime={c.restorableUntil}>{formatTime(c.restorableUntil)}</time>.
            </>
          )}
        </p>
      )}
      <section className="panel" aria-labelledby="contact-details">
        <h2 id="contact-details">Details</h2>
        <dl className="facts contact-facts">
          <dt>First name</dt>
          <dd>{c.firstName ?? '—'}</dd>
          <dt>Last name</dt>
          <dd>{c.lastName ?? '—'}</dd>
          <dt>Email</dt>
          <dd>{c.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : '—'}</dd>
          <dt>Phone</dt>
          <dd>{c.phone ? <a href={`tel:${c.phone}`}>{c.phone}</a> : '—'}</dd>
          <dt>Assigned to</dt>
          <dd>{assignedLabel(teamNames, c.assignedTo)}</dd>
          <dt>Source</dt>
          <dd>{c.source ?? '—'}</dd>
          <dt>Added in GHL</dt>
          <dd>{c.dateAdded ? <time dateTime={c.dateAdded}>{formatTime(c.dateAdded)}</time> : '—'}</dd>
          <dt>Last synced</dt>
          <dd>
            <time dateTime={c.syncedAt}>{formatTime(c.syncedAt)}</time>
          </dd>
        </dl>
      </section>
      <section className="panel" aria-labelledby="contact-tags">
        <h2 id="contact-tags">Tags</h2>
        <TagChips tags={c.tags} />
      </section>
      <section className="panel" aria-labelledby="contact-custom-fields">
        <h2 id="contact-custom-fields">Custom fields</h2>
        {hasCustomFields ? <JsonView value={c.customFields} label="Custom fields" /> : <p className="muted">No custom fields.</p>}
      </section>
      <section className="panel" aria-labelledby="contact-ids">
        <h2 id="contact-ids">Identifiers</h2>
        <dl className="facts contact-facts">
          <dt>GHL contact ID</dt>
          <dd className="contact-id">
            <code data-testid="ghl-contact-id">{c.ghlContactId}</code> <CopyButton text={c.ghlContactId} label="Copy GHL contact ID" />
          </dd>
          {c.assignedTo && (
            <>
              <dt>GHL user ID (assigned to)</dt>
              <dd>
                <code>{c.assignedTo}</code>
              </dd>
            </>
          )}
          <dt>Flowline ID</dt>
          <dd>
            <code>{c.id}</code>
          </dd>
        </dl>
      </section>
    </>
  );
}
