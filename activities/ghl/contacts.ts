import type { GhlTransport } from './http';
import { VERSION_2021_07_28 as V } from './http';
import * as s from './schemas';

export interface ContactFields {
  firstName?: string | null;
  lastName?: string | null;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  companyName?: string | null;
  source?: string | null;
  timezone?: string | null;
  assignedTo?: string | null;
  dnd?: boolean;
  /** On create/update/upsert GHL replaces the whole tag list; use addTags/removeTags to merge. */
  tags?: string[];
  customFields?: { id: string; key?: string; field_value?: unknown }[];
  [field: string]: unknown;
}

/** One condition of POST /contacts/search; groups nest with `{ group: 'AND' | 'OR', filters }`. */
export type ContactFilter =
  | { field: string; operator: string; value?: unknown }
  | { group: 'AND' | 'OR'; filters: ContactFilter[] };

export interface ContactSearch {
  filters?: ContactFilter[];
  query?: string;
  pageLimit?: number;
  page?: number;
  /** The `searchAfter` of the last contact of the previous page. */
  searchAfter?: (string | number)[];
  sort?: { field: string; direction: 'asc' | 'desc' }[];
}

export function contactsModule(http: GhlTransport, locationId: string) {
  return {
    get: async (contactId: string) =>
      (await http.request({ method: 'GET', path: `/contacts/${encodeURIComponent(contactId)}`, version: V, schema: s.contactEnvelope })).contact,

    create: async (fields: ContactFields) =>
      (await http.request({ method: 'POST', path: '/contacts/', version: V, body: { ...fields, locationId }, schema: s.contactEnvelope })).contact,

    update: async (contactId: string, fields: ContactFields) =>
      (await http.request({ method: 'PUT', path: `/contacts/${encodeURIComponent(contactId)}`, version: V, body: fields, schema: s.contactUpdated }))
        .contact,

    /** Matches on the location's duplicate rules (email, then phone): retried calls do not duplicate. */
    upsert: async (fields: ContactFields) => {
      const r = await http.request({ method: 'POST', path: '/contacts/upsert', version: V, body: { ...fields, locationId }, schema: s.contactUpserted });
      return { new: r.new, contact: r.contact };
    },

    search: async (search: ContactSearch = {}) => {
      const body: Record<string, unknown> = { locationId, pageLimit: search.pageLimit ?? 100 };
      if (search.filters) body.filters = search.filters;
      if (search.query) body.query = search.query;
      if (search.sort) body.sort = search.sort;
      if (search.searchAfter) body.searchAfter = search.searchAfter;
      else if (search.page) body.page = search.page;
      const r = await http.request({ method: 'POST', path: '/contacts/search', version: V, body, schema: s.contactSearchResult });
      const last = r.contacts.at(-1);
      return { contacts: r.contacts, total: r.total, nextSearchAfter: r.contacts.length && last?.searchAfter ? last.searchAfter : null };
    },

    addTags: async (contactId: string, tags: string[]) =>
      (await http.request({ method: 'POST', path: `/contacts/${encodeURIComponent(contactId)}/tags`, version: V, body: { tags }, schema: s.tagsResult }))
        .tags,

    removeTags: async (contactId: string, tags: string[]) =>
      (await http.request({ method: 'DELETE', path: `/contacts/${encodeURIComponent(contactId)}/tags`, version: V, body: { tags }, schema: s.tagsResult }))
        .tags,
  };
}
