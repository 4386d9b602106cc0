import { listContacts } from '../api/contacts';
import { EmptyState } from '../components/EmptyState';
import { ErrorAlert, Loading } from '../components/Notices';
import type { OrgPageProps } from '../org/OrgLayout';
import { may } from '../permissions';
import { Link, navigate, useLocation } from '../router';
import { usePaged } from '../use-paged';
import { ContactFiltersForm } from './ContactFiltersForm';
import { ContactsTable } from './ContactsTable';
import { ContactsTrashTable } from './ContactsTrash';
import { contactsPath, contactsTrashPath, readContactFilters } from './format';
import { useTeamNames } from './use-team-names';
import './contacts.css';
import { LoadMore } from '../components/LoadMore';

const PAGE_SIZE = 50;

/** `/orgs/:orgId/contacts`: contacts synced from GoHighLevel; the filters live in the URL. */
export function ContactsPage({ orgId, membership }: OrgPageProps) {
  const { pathname, query } = useLocation();
  const filters = readContactFilters(query);
  const list = usePaged(
    (cursor, signal) =>
      listContacts(
        orgId,
        { q: filters.q || undefined, tag: filters.tag || undefined, includeDeleted: filters.deleted, trash: filters.trash, cursor, limit: PAGE_SIZE },
        signal,
      ),
    [orgId, filters.q, filters.tag, filters.deleted, filters.trash],
  );
  const teamNames = useTeamNames(orgId, membership);
  const filtered = Boolean(filters.q || filters.tag || (filters.deleted && !filters.trash));
  const knownTags = [...new Set(list.items.flatMap((c) => c.tags))].sort((a, b) => a.localeCompare(b));
  const pickTag = (tag: string) => {
    const params = new URLSearchParams(query);
    params.set('tag', tag);
    navigate(`${pathname}?${params}`, { replace: true });
  };

  return (
    <>
      <h1>Contacts</h1>
      <p className="muted">Contacts of the connected GoHighLevel locations, kept in sync from GHL.</p>
      <nav className="view-tabs" aria-label="Contact views">
        <Link to={contactsPath(orgId)} aria-current={filters.trash ? undefined : 'page'}>
          Contacts
        </Link>
        <Link to={contactsTrashPath(orgId)} aria-current={filters.trash ? 'page' : undefined}>
          Deleted
        </Link>
      </nav>
      <section className="panel" aria-label={filters.trash ? 'Deleted contacts' : 'Contacts'}>
        {filters.trash && (
          <p className="muted">
            Contacts deleted in Flowline stay in GoHighLevel and can be restored until the date shown; contacts deleted in GoHighLevel come back only from
            there.
          </p>
        )}
        <ContactFiltersForm filters={filters} knownTags={knownTags} />
        <ErrorAlert message={list.error?.message} />
        {list.items.length === 0 ? (
          list.loading ? (
            <Loading what="contacts" />
          ) : filters.trash ? (
            <EmptyState title="No deleted contacts">{filtered ? 'Nothing deleted matches these filters.' : 'The trash is empty.'}</EmptyState>
          ) : filtered ? (
            <EmptyState title="No contacts match these filters">Try another search or tag{filters.deleted ? '' : ', or show deleted contacts'}.</EmptyState>
          ) : (
            <EmptyState title="No contacts yet">
              Contacts arrive once a GoHighLevel location is connected: from GHL’s webhooks as they change, and from a sync.{' '}
              {may(membership, 'integrations', 'read') ? (
                <Link to={`/orgs/${encodeURIComponent(orgId)}/integrations`}>Go to Integrations</Link>
              ) : (
                'Ask an administrator to connect one.'
              )}
            </EmptyState>
          )
        ) : filters.trash ? (
          <ContactsTrashTable orgId={orgId} items={list.items} canRestore={may(membership, 'contacts', 'delete')} onRestored={list.reload} />
        ) : (
          <ContactsTable orgId={orgId} items={list.items} teamNames={teamNames} onPickTag={pickTag} />
        )}
        <LoadMore list={list} />
      </section>
    </>
  );
}
