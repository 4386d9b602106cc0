import type { Contact } from '../api/contacts';
import { formatTime } from '../executions/format';
import { Link } from '../router';
import { contactName, contactPath } from './format';
import { TagChips } from './TagChips';
import { assignedLabel } from './use-team-names';

interface Props {
  orgId: string;
  items: Contact[];
  teamNames: ReadonlyMap<string, string>;
  onPickTag: (tag: string) => void;
}

export function ContactsTable({ orgId, items, teamNames, onPickTag }: Props) {
  return (
    <table className="table contacts-table">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Email</th>
          <th scope="col">Phone</th>
          <th scope="col">Tags</th>
          <th scope="col">Assigned to</th>
          <th scope="col">Synced</th>
        </tr>
      </thead>
      <tbody>
        {items.map((c) => (
          <tr key={c.id} data-testid={`contact-row-${c.ghlContactId}`} className={c.deletedAt ? 'contact-deleted' : undefined}>
            <td>
              <Link to={contactPath(orgId, c.id)}>{contactName(c)}</Link>
              {c.deletedAt && <span className="tag tag-deleted">Deleted</span>}
            </td>
            <td className="contact-email">{c.email ?? '—'}</td>
            <td className="contact-phone">{c.phone ?? '—'}</td>
            <td>
              <TagChips tags={c.tags} onPick={onPickTag} />
            </td>
            <td>{assignedLabel(teamNames, c.assignedTo)}</td>
            <td>
              <time dateTime={c.syncedAt}>{formatTime(c.syncedAt)}</time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
