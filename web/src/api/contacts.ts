// Contacts synced from GoHighLevel as the web app reads them (api/routes/contacts.ts holds the
// zod schemas that are the source of truth).
import { api } from './client';
import { orgPath } from './orgs';
import type { Page } from './types';

export interface Contact {
  id: string;
  ghlContactId: string;
  firstName: string | null;
  lastName: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  tags: string[];
  /** The GHL user id of the contact's owner. */
  assignedTo: string | null;
  customFields: Record<string, unknown> | unknown[];
  source: string | null;
  dateAdded: string | null;
  /** Deleted in GHL: kept so a late event cannot bring it back. */
  deletedAt: string | null;
  syncedAt: string;
}

export interface ContactQuery {
  q?: string;
  tag?: string;
  includeDeleted?: boolean;
  cursor?: string;
  limit?: number;
}

const base = (orgId: string) => `${orgPath(orgId)}/contacts`;

export function listContacts(orgId: string, params: ContactQuery, signal?: AbortSignal): Promise<Page<Contact>> {
  const { includeDeleted, ...rest } = params;
  return api('GET', base(orgId), { query: { ...rest, includeDeleted: includeDeleted ? 'true' : undefined }, signal });
}

export function getContact(orgId: string, contactId: string, signal?: AbortSignal): Promise<Contact> {
  return api('GET', `${base(orgId)}/${encodeURIComponent(contactId)}`, { signal });
}
