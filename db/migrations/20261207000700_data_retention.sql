-- =====================================================================================
-- Data retention: the daily `dataRetentionWorkflow` deletes, organization by organization
-- (settings in 20261207000300_retention_settings.sql), what has outlived its retention:
--   executions       finished runs with their steps and payloads (executionRetentionDays)
--   conversations    closed bot conversations with their messages (conversationRetentionDays)
--   audit_log        audit entries (auditRetentionDays)
--   webhook_events   received GHL webhook deliveries, kept for idempotency (webhookEventRetentionDays, default 30)
--   trash_*          soft-deleted rows past the restore window (trashRetentionDays)
-- Each `app.retention_take_<kind>(batch)` deletes one batch (oldest first, rows locked by
-- someone else are skipped, so no long lock is ever held or waited for) and answers the rows it
-- deleted as jsonb, with the organization and whether it archives. The worker calls it in a
-- transaction, writes the archive (JSON lines) and removes files, and only then commits: a crash
-- leaves the rows in place (archived twice at worst, never lost unarchived).
-- Only the worker may call them: they act for every organization (or, given p_org, for one:
-- an operator applying retention now, and tests that must not touch each other's rows).
-- =====================================================================================

create or replace function app.archive_before_delete(p_settings jsonb) returns boolean
language sql immutable set search_path = ''
as $$ select coalesce(jsonb_typeof(p_settings -> 'archiveBeforeDelete') = 'boolean' and (p_settings ->> 'archiveBeforeDelete')::boolean, false) $$;

create index if not exists conversation_sessions_closed_idx on public.conversation_sessions (closed_at) where status = 'closed';
create index if not exists audit_log_created_idx on public.audit_log (created_at);
create index if not exists ghl_webhook_events_received_all_idx on public.ghl_webhook_events (received_at);
create index if not exists executions_finished_idx on public.executions (finished_at) where status in ('succeeded', 'failed', 'cancelled');

-- -------------------------------------------------------------------------------------
-- The audit log stays append-only for everyone; only the retention and forget functions below
-- (running as the owner, with app.audit_maintenance set for their transaction) may delete or
-- redact entries. Neither condition alone is enough: a member can set the setting but is not
-- the owner, and a migration runs as the owner but does not set it.
-- -------------------------------------------------------------------------------------
create or replace function app.audit_log_is_append_only() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if tg_op in ('DELETE', 'UPDATE')
     and current_setting('app.audit_maintenance', true) = 'on'
     and current_user = (select pg_get_userbyid(c.relowner) from pg_catalog.pg_class c where c.oid = tg_relid) then
    return case when tg_op = 'DELETE' then old else new end;
  end if;
  raise exception 'audit_log is append-only' using errcode = '42501';
end $$;

create or replace function app.retention_take_executions(p_batch int, p_org uuid default null) returns table (organization_id uuid, archive boolean, item jsonb)
language plpgsql security definer set search_path = ''
as $$
begin
  return query
  with expired as (
    select e.organization_id, e.id
    from public.executions e
    join public.organizations o on o.id = e.organization_id
    where e.status in ('succeeded', 'failed', 'cancelled')
      and e.finished_at < now() - make_interval(days => app.execution_retention_days(o.settings))
      and (p_org is null or e.organization_id = p_org)
    order by e.finished_at
    limit greatest(1, least(p_batch, 10000))
    for update of e skip locked
  ), gone as (
    delete from public.executions e using expired x
    where e.organization_id = x.organization_id and e.id = x.id
    returning e.*
  )
  select g.organization_id, app.archive_before_delete(o.settings),
    to_jsonb(g) || jsonb_build_object(
      'steps', (select coalesce(jsonb_agg(to_jsonb(s) order by s.id), '[]'::jsonb) from public.execution_steps s
                where s.organization_id = g.organization_id and s.execution_id = g.id),
      'payloads', (select coalesce(jsonb_agg(to_jsonb(p) order by p.id), '[]'::jsonb) from public.execution_payloads p
                   where p.organization_id = g.organization_id and p.execution_id = g.id))
  from gone g join public.organizations o on o.id = g.organization_id;
end $$;

create or replace function app.retention_take_conversations(p_batch int, p_org uuid default null) returns table (organization_id uuid, archive boolean, item jsonb)
language plpgsql security definer set search_path = ''
as $$
begin
  return query
  with expired as (
    select s.organization_id, s.id
    from public.conversation_sessions s
    join public.organizations o on o.id = s.organization_id
    where s.status = 'closed'
      and s.closed_at < now() - make_interval(days => app.retention_days(o.settings, 'conversationRetentionDays', 365))
      and (p_org is null or s.organization_id = p_org)
    order by s.closed_at
    limit greatest(1, least(p_batch, 10000))
    for update of s skip locked
  ), gone as (
    delete from public.conversation_sessions s using expired x
    where s.organization_id = x.organization_id and s.id = x.id
    returning s.*
  )
  -- The messages go by cascade at the end of the statement, so this still reads them.
  select g.organization_id, app.archive_before_delete(o.settings),
    to_jsonb(g) || jsonb_build_object(
      'messages', (select coalesce(jsonb_agg(to_jsonb(m) order by m.created_at, m.id), '[]'::jsonb) from public.conversation_messages m
                   where m.organization_id = g.organization_id and m.session_id = g.id))
  from gone g join public.organizations o on o.id = g.organization_id;
end $$;

create or replace function app.retention_take_audit_log(p_batch int, p_org uuid default null) returns table (organization_id uuid, archive boolean, item jsonb)
language plpgsql security definer set search_path = ''
as $$
begin
  perform set_config('app.audit_maintenance', 'on', true);
  return query
  with expired as (
    -- Entries of a deleted organization have no settings left: the default applies.
    select a.id
    from public.audit_log a
    left join public.organizations o on o.id = a.organization_id
    where a.created_at < now() - make_interval(days => app.retention_days(coalesce(o.settings, '{}'::jsonb), 'auditRetentionDays', 365))
      and (p_org is null or a.organization_id = p_org)
    order by a.created_at
    limit greatest(1, least(p_batch, 10000))
    for update of a skip locked
  ), gone as (
    delete from public.audit_log a using expired x where a.id = x.id returning a.*
  )
  select g.organization_id, app.archive_before_delete(coalesce(o.settings, '{}'::jsonb)), to_jsonb(g)
  from gone g left join public.organizations o on o.id = g.organization_id;
  perform set_config('app.audit_maintenance', 'off', true);
end $$;

create or replace function app.retention_take_webhook_events(p_batch int, p_org uuid default null) returns table (organization_id uuid, archive boolean, item jsonb)
language plpgsql security definer set search_path = ''
as $$
begin
  -- Only processed deliveries: one still waiting is work, not history. Never archived: the
  -- payload is GHL's copy of data that lives in GHL and in our own tables.
  return query
  with expired as (
    select w.organization_id, w.webhook_id
    from public.ghl_webhook_events w
    join public.organizations o on o.id = w.organization_id
    where w.processed_at is not null
      and w.received_at < now() - make_interval(days => app.retention_days(o.settings, 'webhookEventRetentionDays', 30))
      and (p_org is null or w.organization_id = p_org)
    order by w.received_at
    limit greatest(1, least(p_batch, 10000))
    for update of w skip locked
  ), gone as (
    delete from public.ghl_webhook_events w using expired x
    where w.organization_id = x.organization_id and w.webhook_id = x.webhook_id
    returning w.organization_id, w.webhook_id, w.type, w.received_at
  )
  select g.organization_id, false, to_jsonb(g) from gone g;
end $$;

create or replace function app.retention_take_trash_bots(p_batch int, p_org uuid default null) returns table (organization_id uuid, archive boolean, item jsonb)
language plpgsql security definer set search_path = ''
as $$
begin
  return query
  with expired as (
    select b.organization_id, b.id
    from public.bots b
    join public.organizations o on o.id = b.organization_id
    where b.deleted_at < now() - make_interval(days => app.trash_retention_days(o.settings))
      and (p_org is null or b.organization_id = p_org)
    order by b.deleted_at
    limit greatest(1, least(p_batch, 10000))
    for update of b skip locked
  ), gone as (
    delete from public.bots b using expired x
    where b.organization_id = x.organization_id and b.id = x.id
    returning b.*
  )
  select g.organization_id, app.archive_before_delete(o.settings), to_jsonb(g) - 'widget_key'
  from gone g join public.organizations o on o.id = g.organization_id;
end $$;

create or replace function app.retention_take_trash_contacts(p_batch int, p_org uuid default null) returns table (organization_id uuid, archive boolean, item jsonb)
language plpgsql security definer set search_path = ''
as $$
begin
  return query
  with expired as (
    select c.organization_id, c.id
    from public.contacts c
    join public.organizations o on o.id = c.organization_id
    where c.deleted_at < now() - make_interval(days => app.trash_retention_days(o.settings))
      and (p_org is null or c.organization_id = p_org)
    order by c.deleted_at
    limit greatest(1, least(p_batch, 10000))
    for update of c skip locked
  ), gone as (
    delete from public.contacts c using expired x
    where c.organization_id = x.organization_id and c.id = x.id
    returning c.*
  )
  select g.organization_id, app.archive_before_delete(o.settings), to_jsonb(g)
  from gone g join public.organizations o on o.id = g.organization_id;
end $$;

create or replace function app.retention_take_trash_receipts(p_batch int, p_org uuid default null) returns table (organization_id uuid, archive boolean, item jsonb)
language plpgsql security definer set search_path = ''
as $$
begin
  -- The caller removes each row's file (storage_key) before committing.
  return query
  with expired as (
    select r.organization_id, r.id
    from public.opportunity_receipts r
    join public.organizations o on o.id = r.organization_id
    where r.deleted_at < now() - make_interval(days => app.trash_retention_days(o.settings))
      and (p_org is null or r.organization_id = p_org)
    order by r.deleted_at
    limit greatest(1, least(p_batch, 10000))
    for update of r skip locked
  ), gone as (
    delete from public.opportunity_receipts r using expired x
    where r.organization_id = x.organization_id and r.id = x.id
    returning r.*
  )
  select g.organization_id, app.archive_before_delete(o.settings), to_jsonb(g)
  from gone g join public.organizations o on o.id = g.organization_id;
end $$;

revoke execute on function app.retention_take_executions(int, uuid), app.retention_take_conversations(int, uuid), app.retention_take_audit_log(int, uuid),
  app.retention_take_webhook_events(int, uuid), app.retention_take_trash_bots(int, uuid), app.retention_take_trash_contacts(int, uuid),
  app.retention_take_trash_receipts(int, uuid) from public;
grant execute on function app.retention_take_executions(int, uuid), app.retention_take_conversations(int, uuid), app.retention_take_audit_log(int, uuid),
  app.retention_take_webhook_events(int, uuid), app.retention_take_trash_bots(int, uuid), app.retention_take_trash_contacts(int, uuid),
  app.retention_take_trash_receipts(int, uuid) to worker;
