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
  /** Deleted in GHL (kept so a late event cannot bring it back) or in Flowline (GHL keeps it). */
  deletedAt: string | null;
  /** Who deleted it: GoHighLevel, or someone here (only those can be restored here). */
  deletedBy: 'ghl' | 'user' | null;
  /** Until when a contact deleted here can be restored; null otherwise. */
  restorableUntil: string | null;
  syncedAt: string;
}

export interface ContactQuery {
  q?: string;
  tag?: string;
  includeDeleted?: boolean;
  /** Only deleted contacts: the trash. */
  trash?: boolean;
  cursor?: string;
  limit?: number;
}

const base = (orgId: string) => `${orgPath(orgId)}/contacts`;

export function listContacts(orgId: string, params: ContactQuery, signal?: AbortSignal): Promise<Page<Contact>> {
  const { includeDeleted, trash, ...rest } = params;
  return api('GET', base(orgId), { query: { ...rest, includeDeleted: includeDeleted ? 'true' : undefined, deleted: trash ? 'true' : undefined }, signal });
}

export function getContact(orgId: string, contactId: string, signal?: AbortSignal): Promise<Contact> {
  return api('GET', `${base(orgId)}/${encodeURIComponent(contactId)}`, { signal });
}

/** Hides the contact in Flowline (GoHighLevel keeps it); restorable until the trash lets go of it. */
export function deleteContact(orgId: string, contactId: string): Promise<void> {
  return api('DELETE', `${base(orgId)}/${encodeURIComponent(contactId)}`);
}

export function restoreContact(orgId: string, contactId: string): Promise<Contact> {
  return api('POST', `${base(orgId)}/${encodeURIComponent(contactId)}/restore`);
}
