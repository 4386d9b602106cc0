/*
 * Reconciliation of our contacts with a GHL location (the activities of ghlContactsSyncWorkflow).
 * Each call moves only ids, counts and the paging cursor through Temporal: contact data goes
 * straight from GHL into Postgres, so no PII lands in workflow history.
 */
import { ApplicationFailure } from '@temporalio/common';
import { contactFields, type GhlContactFields } from '../../api/ghl/contact-fields';
import type { Sql } from '../../db/client';
import type { Tx } from '../../db/tenant';
import { GhlError, type GhlSearchedContact, toActivityFailure as ghlFailure } from '../ghl';
import { asWorker, toJsonText } from '../db/support';
import { type GhlAccessSettings, GhlNotConnected, withGhl } from './ghl-access';

/** GHL's `searchAfter` of the last contact of a page: where the next page starts. */
export type ContactsCursor = (string | number)[];

export interface ContactsSyncCounts {
  pages: number;
  upserted: number;
  unchanged: number;
  deleted: number;
}

export interface SyncPageInput {
  orgId: string;
  integrationId: string;
  syncId: string;
  cursor: ContactsCursor | null;
  pageSize: number;
}

export interface SyncPageResult {
  /** Null when this was the last page. */
  next: ContactsCursor | null;
  seen: number;
  upserted: number;
  unchanged: number;
}

/** GHL answers at most 500 per page (and defaults to 20). */
export const MAX_PAGE_SIZE = 500;

/** Row fields from a contact of POST /contacts/search, shaped as webhook contacts are. */
export function contactFromSearch(c: GhlSearchedContact): GhlContactFields {
  const customFields: Record<string, unknown> = {};
  for (const field of c.customFields) customFields[field.id] = field.value ?? field.field_value ?? null;
  return contactFields(c, customFields);
}

function validTime(iso: string | null | undefined): string | null {
  return iso && Number.isFinite(Date.parse(iso)) ? new Date(iso).toISOString() : null;
}

function notConnected(err: unknown): never {
  if (err instanceof GhlNotConnected) throw ApplicationFailure.create({ message: err.message, type: 'GhlNotConnected', nonRetryable: true });
  if (err instanceof GhlError) throw ghlFailure(err);
  throw err;
}

/**
 * Writes one page in one statement. A row changes only when GHL's state is at least as new as
 * the one it holds (a webhook that arrived meanwhile with a newer state wins) and when something
 * actually differs, so `unchanged` counts rows left alone for either reason.
 */
async function upsertPage(tx: Tx, input: SyncPageInput, contacts: GhlContactFields[], fetchedAt: string): Promise<number> {
  if (contacts.length === 0) return 0;
  const rows = contacts.map((c) => ({
    ghl_contact_id: c.ghlContactId,
    first_name: c.firstName,
    last_name: c.lastName,
    name: c.name,
    email: c.email,
    phone: c.phone,
    tags: c.tags,
    assigned_to: c.assignedTo,
    custom_fields: c.customFields,
    ghl_date_added: validTime(c.dateAdded),
    ghl_state_at: validTime(c.dateUpdated) ?? fetchedAt,
  }));
  const written = await tx<{ id: string }[]>`
    insert into public.contacts as c (organization_id, integration_id, ghl_contact_id, first_name, last_name, name, email, phone, tags,
      assigned_to, custom_fields, ghl_date_added, ghl_state_at)
    select ${input.orgId}, ${input.integrationId}, r.ghl_contact_id, r.first_name, r.last_name, r.name, r.email, r.phone,
      array(select jsonb_array_elements_text(r.tags)), r.assigned_to, r.custom_fields, r.ghl_date_added, r.ghl_state_at
    from jsonb_to_recordset(${toJsonText(rows)}::text::jsonb) as r(ghl_contact_id text, first_name text, last_name text, name text,
      email text, phone text, tags jsonb, assigned_to text, custom_fields jsonb, ghl_date_added timestamptz, ghl_state_at timestamptz)
    on conflict (organization_id, ghl_contact_id) do update set
      integration_id = excluded.integration_id,
      first_name = excluded.first_name, last_name = excluded.last_name, name = excluded.name, email = excluded.email,
      phone = excluded.phone, tags = excluded.tags, assigned_to = excluded.assigned_to, custom_fields = excluded.custom_fields,
      ghl_date_added = coalesce(excluded.ghl_date_added, c.ghl_date_added), ghl_state_at = excluded.ghl_state_at,
      -- A contact GHL lists again is live again, unless someone deleted it here (see the trigger
      -- in 20261207000600_soft_delete_people.sql: the user's delete survives this write).
      deleted_at = null
    where (c.ghl_state_at is null or c.ghl_state_at <= excluded.ghl_state_at)
      and ((c.deleted_at is not null and c.deleted_reason = 'ghl') or c.integration_id is distinct from excluded.integration_id
        or (c.first_name, c.last_name, c.name, c.email, c.phone, c.tags, c.assigned_to, c.custom_fields, c.ghl_date_added)
          is distinct from (excluded.first_name, excluded.last_name, excluded.name, excluded.email, excluded.phone, excluded.tags,
            excluded.assigned_to, excluded.custom_fields, coalesce(excluded.ghl_date_added, c.ghl_date_added)))
    returning c.id`;
  // Seen whether written or not: a row kept because it is newer still exists in GHL.
  await tx`
    insert into public.contacts_sync_seen (organization_id, sync_id, ghl_contact_id)
    select ${input.orgId}, ${input.syncId}, unnest(${rows.map((r) => r.ghl_contact_id)}::text[])
    on conflict do nothing`;
  return written.length;
}

export function createContactsSyncActivities(deps: { sql: Sql; ghl: GhlAccessSettings }) {
  return {
    /**
     * Opens (or, retried, finds) the run. Null when the integration is gone or disconnected: a
     * schedule that outlived its integration then ends quietly instead of failing every time.
     */
    async beginContactsSync(input: { orgId: string; integrationId: string; syncId: string }): Promise<{ startedAt: string } | null> {
      return asWorker(deps.sql, input.orgId, async (tx) => {
        const [integration] = await tx<{ status: string }[]>`
          select status from public.integrations where organization_id = ${input.orgId} and id = ${input.integrationId} and provider = 'ghl'`;
        if (!integration || integration.status === 'disconnected') return null;
        await tx`insert into public.contacts_sync_runs (id, organization_id, integration_id)
          values (${input.syncId}, ${input.orgId}, ${input.integrationId}) on conflict (id) do nothing`;
        const [run] = await tx<{ started_at: Date }[]>`
          select started_at from public.contacts_sync_runs where organization_id = ${input.orgId} and id = ${input.syncId}`;
        return { startedAt: run!.started_at.toISOString() };
      });
    },

    /** Fetches one page after `cursor` and writes it; answers where the next page starts. */
    async syncContactsPage(input: SyncPageInput): Promise<SyncPageResult> {
      const pageSize = Math.min(Math.max(1, Math.floor(input.pageSize)), MAX_PAGE_SIZE);
      // A state GHL reported without dateUpdated is at least as new as the request.
      const fetchedAt = new Date().toISOString();
      const page = await withGhl(deps.sql, deps.ghl, input.orgId, input.integrationId, ({ client }) =>
        client.contacts.search({
          pageLimit: pageSize,
          // Oldest first: contacts created during the sync land on later pages, not before the cursor.
          sort: [{ field: 'dateAdded', direction: 'asc' }],
          ...(input.cursor ? { searchAfter: input.cursor } : {}),
        }),
      ).catch(notConnected);
      const byId = new Map(page.contacts.map((c) => [c.id, contactFromSearch(c)]));
      const contacts = [...byId.values()];
      const upserted = await asWorker(deps.sql, input.orgId, (tx) => upsertPage(tx, input, contacts, fetchedAt));
      // A short page is the last one: no need to ask for an empty page after it.
      const next = page.contacts.length < pageSize ? null : page.nextSearchAfter;
      if (next && input.cursor && JSON.stringify(next) === JSON.stringify(input.cursor)) {
        throw ApplicationFailure.create({ message: 'GHL answered the same page twice: paging does not advance', type: 'GhlPagingStuck', nonRetryable: true });
      }
      return { next, seen: contacts.length, upserted, unchanged: contacts.length - upserted };
    },

    /**
     * Tombstones this integration's contacts that the run did not see and that nothing wrote
     * since the run started, records the counts, and forgets the seen ids. Once finished, a
     * retry answers the recorded counts and changes nothing.
     */
    async finishContactsSync(input: { orgId: string; integrationId: string; syncId: string; counts: Omit<ContactsSyncCounts, 'deleted'> }): Promise<ContactsSyncCounts> {
      return asWorker(deps.sql, input.orgId, async (tx) => {
        const [run] = await tx<{ started_at: Date; finished_at: Date | null; deleted: number }[]>`
          select started_at, finished_at, deleted from public.contacts_sync_runs
          where organization_id = ${input.orgId} and id = ${input.syncId} for update`;
        if (!run) throw ApplicationFailure.create({ message: `contacts sync run ${input.syncId} not found`, type: 'NotFound', nonRetryable: true });
        if (run.finished_at) return { ...input.counts, deleted: run.deleted };
        const tombstoned = await tx`
          update public.contacts c set deleted_at = now()
          where c.organization_id = ${input.orgId} and c.integration_id = ${input.integrationId} and c.deleted_at is null
            and c.updated_at < ${run.started_at}
            and not exists (select 1 from public.contacts_sync_seen s
              where s.organization_id = ${input.orgId} and s.sync_id = ${input.syncId} and s.ghl_contact_id = c.ghl_contact_id)`;
        const counts = { ...input.counts, deleted: tombstoned.count };
        await tx`update public.contacts_sync_runs set finished_at = now(), pages = ${counts.pages}, upserted = ${counts.upserted},
          unchanged = ${counts.unchanged}, deleted = ${counts.deleted}
          where organization_id = ${input.orgId} and id = ${input.syncId}`;
        // This run's ids, and those of runs that died long ago without finishing.
        await tx`delete from public.contacts_sync_seen s where s.organization_id = ${input.orgId}
          and (s.sync_id = ${input.syncId} or s.sync_id in (select r.id from public.contacts_sync_runs r
            where r.organization_id = ${input.orgId} and r.finished_at is null and r.started_at < now() - interval '2 days'))`;
        return counts;
      });
    },
  };
}

export type ContactsSyncActivities = ReturnType<typeof createContactsSyncActivities>;
