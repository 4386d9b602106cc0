-- Retention settings of an organization, read from `organizations.settings` (the same place as
-- `executionRetentionDays`, see 20261127000800_execution_retention.sql):
--   conversationRetentionDays  closed bot conversations and their messages   (default 365)
--   auditRetentionDays         audit log entries                             (default 365)
--   trashRetentionDays         soft-deleted workflows, bots, contacts, team members, receipts:
--                              how long they can be restored before they are purged (default 30)
--   archiveBeforeDelete        write what retention deletes to the archive first (default false)
-- A missing or out-of-range value means the default, so a bad setting never deletes early.

create or replace function app.retention_days(p_settings jsonb, p_key text, p_default int) returns int
language sql immutable set search_path = ''
as $$
  select case
    when jsonb_typeof(p_settings -> p_key) = 'number'
      and (p_settings ->> p_key)::numeric between 1 and 3650
    then floor((p_settings ->> p_key)::numeric)::int
    else p_default
  end
$$;

create or replace function app.trash_retention_days(p_settings jsonb) returns int
language sql immutable set search_path = ''
as $$ select app.retention_days(p_settings, 'trashRetentionDays', 30) $$;

/**
 * Whether something of p_org deleted at p_deleted_at may still be restored. Restore routes check
 * it (a row past the window is purged by the retention job, which may not have run yet).
 * SECURITY DEFINER so the worker, which cannot read every organization's settings, may ask too;
 * it answers only a yes/no.
 */
create or replace function app.in_restore_window(p_org uuid, p_deleted_at timestamptz) returns boolean
language sql stable security definer set search_path = ''
as $$
  select p_deleted_at is not null
    and p_deleted_at > now() - make_interval(days => app.trash_retention_days(o.settings))
  from public.organizations o where o.id = p_org
$$;

revoke execute on function app.in_restore_window(uuid, timestamptz) from public;
grant execute on function app.in_restore_window(uuid, timestamptz) to authenticated, worker;

/**
 * Until when something of p_org deleted at p_deleted_at may be restored (the end of the window
 * app.in_restore_window checks), for lists of deleted rows. SECURITY DEFINER for the same reason:
 * a member who may not read the organization's settings still learns the date. Only for the
 * caller's own organizations (null otherwise): another tenant's setting is none of its business.
 */
create or replace function app.restorable_until(p_org uuid, p_deleted_at timestamptz) returns timestamptz
language sql stable security definer set search_path = ''
as $$
  select p_deleted_at + make_interval(days => app.trash_retention_days(o.settings))
  from public.organizations o
  where o.id = p_org and (p_org in (select app.member_orgs()) or p_org = app.worker_org())
$$;

revoke execute on function app.restorable_until(uuid, timestamptz) from public;
grant execute on function app.restorable_until(uuid, timestamptz) to authenticated, worker;
