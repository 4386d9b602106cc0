import type { Contact } from '../api/contacts';

/** How a contact is called: GHL's full name, else first and last, else how to reach them. */
export function contactName(c: Pick<Contact, 'name' | 'firstName' | 'lastName' | 'email' | 'phone'>): string {
  const full = c.name?.trim() || [c.firstName, c.lastName].filter(Boolean).join(' ').trim();
  return full || c.email || c.phone || 'Unnamed contact';
}

export const contactsPath = (orgId: string) => `/orgs/${encodeURIComponent(orgId)}/contacts`;
export const contactsTrashPath = (orgId: string) => `${contactsPath(orgId)}?view=trash`;
export const contactPath = (orgId: string, contactId: string) => `${contactsPath(orgId)}/${encodeURIComponent(contactId)}`;

/** The list's filters as the URL holds them, so a view can be shared and survives a reload. */
export interface ContactFilters {
  q: string;
  tag: string;
  deleted: boolean;
  /** The trash view: only deleted contacts, with their restore deadline. */
  trash: boolean;
}

export function readContactFilters(query: URLSearchParams): ContactFilters {
  return { q: query.get('q')?.trim() ?? '', tag: query.get('tag')?.trim() ?? '', deleted: query.get('deleted') === 'true', trash: query.get('view') === 'trash' };
}
