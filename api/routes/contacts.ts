import { z } from 'zod';
import { containsPattern, decodeCursor, page } from '../http/cursor';
import { HttpError } from '../http/errors';
import { defineRoute, orgAccess, type RouteDef } from '../http/route';
import { pageQuery } from '../schemas/common';

interface ContactRow {
  id: string;
  ghl_contact_id: string;
  first_name: string | null;
  last_name: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  tags: string[];
  assigned_to: string | null;
  custom_fields: unknown;
  source: string | null;
  ghl_date_added: Date | null;
  ghl_state_at: Date | null;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
  cursor_key?: string;
}

const toContact = (r: ContactRow) => ({
  id: r.id,
  ghlContactId: r.ghl_contact_id,
  firstName: r.first_name,
  lastName: r.last_name,
  name: r.name,
  email: r.email,
  phone: r.phone,
  tags: r.tags,
  assignedTo: r.assigned_to,
  customFields: r.custom_fields,
  source: r.source,
  dateAdded: r.ghl_date_added?.toISOString() ?? null,
  // Deleted in GHL: kept (a late event must not bring it back) and shown as such.
  deletedAt: r.deleted_at?.toISOString() ?? null,
  syncedAt: r.updated_at.toISOString(),
});

const listQuery = z.strictObject({
  ...pageQuery,
  q: z.string().trim().max(200).optional(),
  tag: z.string().trim().min(1).max(200).optional(),
  includeDeleted: z.enum(['true', 'false']).optional(),
});

export const contactRoutes: RouteDef[] = [
  defineRoute<Record<string, never>, z.infer<typeof listQuery>>({
    method: 'get',
    path: '/api/v1/orgs/:orgId/contacts',
    summary: 'Contacts synced from GoHighLevel, by name; search name, email or phone; filter by tag',
    tags: ['contacts'],
    access: orgAccess('contacts', 'read'),
    query: listQuery,
    async handler({ params, query, asUser }) {
      const after = decodeCursor(query.cursor);
      const like = containsPattern(query.q);
      const rows = await asUser(
        (tx) => tx<ContactRow[]>`
          select c.*, coalesce(c.name, '') as cursor_key from public.contacts c
          where c.organization_id = ${params.orgId!}
            ${query.includeDeleted === 'true' ? tx`` : tx`and c.deleted_at is null`}
            ${like ? tx`and (c.name ilike ${like} or c.email ilike ${like} or c.phone ilike ${like})` : tx``}
            ${query.tag ? tx`and ${query.tag} = any (c.tags)` : tx``}
            ${after ? tx`and (coalesce(c.name, ''), c.id) > (${after.k}, ${after.id}::uuid)` : tx``}
          order by coalesce(c.name, ''), c.id
          limit ${query.limit + 1}`,
      );
      const result = page(rows, query.limit, (r) => r.cursor_key!);
      return { items: result.items.map(toContact), nextCursor: result.nextCursor };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/contacts/:contactId',
    summary: 'One contact with its tags and custom fields',
    tags: ['contacts'],
    access: orgAccess('contacts', 'read'),
    async handler({ params, asUser }) {
      const [row] = await asUser((tx) => tx<ContactRow[]>`
        select * from public.contacts where id = ${params.contactId!} and organization_id = ${params.orgId!}`);
      if (!row) throw new HttpError(404, 'No such contact');
      return toContact(row);
    },
  }),
];
