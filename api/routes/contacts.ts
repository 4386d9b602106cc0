import { z } from 'zod';
import type { Tx } from '../../db/tenant';
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
  deleted_reason: 'ghl' | 'user' | null;
  restorable_until: Date | null;
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
  // Deleted in GHL (kept: a late event must not bring it back) or here (hidden, kept in GHL).
  deletedAt: r.deleted_at?.toISOString() ?? null,
  deletedBy: r.deleted_reason,
  // Only what someone deleted here can be restored here; GHL's deletes are GHL's to undo.
  restorableUntil: r.deleted_reason === 'user' ? (r.restorable_until?.toISOString() ?? null) : null,
  syncedAt: r.updated_at.toISOString(),
});

const listQuery = z.strictObject({
  ...pageQuery,
  q: z.string().trim().max(200).optional(),
  tag: z.string().trim().min(1).max(200).optional(),
  includeDeleted: z.enum(['true', 'false']).optional(),
  // The trash: only deleted contacts (by GHL or here), by name.
  deleted: z.enum(['true', 'false']).optional(),
});

/** Every column, and until when a deleted row may be restored. */
const selectContact = (tx: Tx) => tx`
  select c.*, case when c.deleted_at is not null then app.restorable_until(c.organization_id, c.deleted_at) end as restorable_until from public.contacts c`;

async function readContact(tx: Tx, orgId: string, id: string, lock = false): Promise<ContactRow> {
  const [row] = await tx<ContactRow[]>`${selectContact(tx)} where c.id = ${id} and c.organization_id = ${orgId} ${lock ? tx`for update` : tx``}`;
  if (!row) throw new HttpError(404, 'No such contact');
  return row;
}

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
          select c.*, case when c.deleted_at is not null then app.restorable_until(c.organization_id, c.deleted_at) end as restorable_until, coalesce(c.name, '') as cursor_key
          from public.contacts c
          where c.organization_id = ${params.orgId!}
            ${query.deleted === 'true' ? tx`and c.deleted_at is not null` : query.includeDeleted === 'true' ? tx`` : tx`and c.deleted_at is null`}
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
      return toContact(await asUser((tx) => readContact(tx, params.orgId!, params.contactId!)));
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/orgs/:orgId/contacts/:contactId',
    summary:
      'Delete a contact in Flowline only (GHL keeps it): hidden from lists, bots stop answering it and its GHL events start no flows; ' +
      'GHL updates do not bring it back; restorable during the trash retention window',
    tags: ['contacts'],
    access: orgAccess('contacts', 'delete'),
    errors: { 409: 'The contact is already deleted' },
    async handler({ params, asUser }) {
      await asUser(async (tx) => {
        const row = await readContact(tx, params.orgId!, params.contactId!, true);
        if (row.deleted_at) throw new HttpError(409, alreadyDeleted(row));
        await tx`update public.contacts set deleted_at = now(), deleted_reason = 'user', deleted_by = auth.uid()
          where id = ${row.id} and organization_id = ${params.orgId!}`;
      });
      return undefined;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/orgs/:orgId/contacts/:contactId/restore',
    summary: 'Restore a contact deleted in Flowline, within the trash retention window (not one GoHighLevel deleted)',
    tags: ['contacts'],
    access: orgAccess('contacts', 'delete'),
    errors: { 409: 'Not deleted, deleted in GoHighLevel, or past the retention window' },
    async handler({ params, asUser }) {
      return asUser(async (tx) => {
        const row = await readContact(tx, params.orgId!, params.contactId!, true);
        if (!row.deleted_at) throw new HttpError(409, 'This contact is not deleted');
        if (row.deleted_reason === 'ghl') {
          throw new HttpError(409, 'This contact was deleted in GoHighLevel, which holds contacts: restore it there and the next sync brings it back');
        }
        const [open] = await tx<{ ok: boolean }[]>`select app.in_restore_window(${params.orgId!}, ${row.deleted_at}) as ok`;
        if (!open?.ok) throw new HttpError(409, `This contact can no longer be restored: the trash keeps it until ${row.restorable_until?.toISOString() ?? 'its retention window ends'}`);
        await tx`update public.contacts set deleted_at = null, deleted_reason = null, deleted_by = null
          where id = ${row.id} and organization_id = ${params.orgId!}`;
        return toContact(await readContact(tx, params.orgId!, row.id));
      });
    },
  }),
];

function alreadyDeleted(row: ContactRow): string {
  return row.deleted_reason === 'ghl' ? 'This contact is already deleted in GoHighLevel' : 'This contact is already deleted';
}
