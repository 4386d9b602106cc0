-- =====================================================================================
-- Workflows go to the trash instead of disappearing: deleting one stamps `deleted_at` and
-- keeps its versions and executions; it can be restored while
-- app.in_restore_window(org, deleted_at) holds (org setting trashRetentionDays, see
-- 20261207000300_retention_settings.sql). The retention job purges what stays deleted longer.
-- A deleted workflow starts nothing: no webhook, schedule, event, subflow, manual run or rerun.
-- Order: columns -> indexes -> policies -> functions -> triggers.
-- =====================================================================================

-- -------------------------------------------------------------------------------------
-- Columns: when and by whom. Both null for a live workflow.
-- -------------------------------------------------------------------------------------
alter table public.workflows
  add column deleted_at timestamptz,
  add column deleted_by uuid,
  add constraint workflows_deleted_by_only_when_deleted check (deleted_at is not null or deleted_by is null);

-- The trash of an organization, newest deletion first; also what the retention job scans.
create index workflows_org_deleted_idx on public.workflows (organization_id, deleted_at desc, id) where deleted_at is not null;

-- -------------------------------------------------------------------------------------
-- Policies: deleting is now an update of deleted_at, so members allowed to delete workflows
-- may make that one change (app.workflow_trash_rules below keeps them to it) even without the
-- right to edit the workflow, as before when deleting was a DELETE.
-- -------------------------------------------------------------------------------------
create policy "Workflows are moved to the trash and back by members allowed to delete them"
  on public.workflows for update to authenticated
  using (organization_id = any ((select app.orgs_with('workflows', 'delete'))))
  with check (organization_id = any ((select app.orgs_with('workflows', 'delete'))));

-- -------------------------------------------------------------------------------------
-- Functions
-- -------------------------------------------------------------------------------------

-- app.restorable_until(org, deleted_at): 20261207000300_retention_settings.sql.

/**
 * Rules of the trash, for request roles (the owner role, e.g. the retention job, is free):
 * - deleting stamps deleted_by with the caller; restoring clears it;
 * - a restore past the window is refused (FL409): the row is waiting for its purge;
 * - a deleted workflow changes in no other way (FL409): it is restored first;
 * - a member allowed to delete but not to edit changes nothing else on the way in or out.
 */
create or replace function app.workflow_trash_rules() returns trigger
language plpgsql set search_path = ''
as $$
declare
  trash_columns text[] := array['deleted_at', 'deleted_by', 'updated_at', 'schedule_id'];
begin
  if current_user not in ('authenticated', 'worker') then
    return new;
  end if;
  if old.deleted_at is not null and new.deleted_at is not null then
    if (to_jsonb(new) - 'updated_at') is distinct from (to_jsonb(old) - 'updated_at') then
      raise exception 'this workflow is deleted: restore it first' using errcode = 'FL409';
    end if;
    return new;
  end if;
  if old.deleted_at is null and new.deleted_at is not null then
    new.deleted_by := auth.uid();
  elsif old.deleted_at is not null and new.deleted_at is null then
    if not coalesce(app.in_restore_window(old.organization_id, old.deleted_at), false) then
      raise exception 'this workflow was deleted more than the trash retention period ago and can no longer be restored'
        using errcode = 'FL409';
    end if;
    new.deleted_by := null;
  end if;
  if current_user = 'authenticated' and not app.has_permission(old.organization_id, 'workflows', 'update')
     and (to_jsonb(new) - trash_columns) is distinct from (to_jsonb(old) - trash_columns) then
    raise exception 'members allowed only to delete workflows can only move them to the trash and back' using errcode = '42501';
  end if;
  return new;
end $$;

/**
 * Plan limit (replaces 20261127000700's): only live workflows count, so deleting one frees
 * its place at once; restoring one takes a place again and is refused (FL402) over the limit.
 */
create or replace function app.count_workflows() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  org_id uuid := coalesce(new.organization_id, old.organization_id);
  workflow_limit int;
  workflow_count int;
begin
  select o.max_workflows into workflow_limit from public.organizations o where o.id = org_id for no key update;
  select count(*) into workflow_count from public.workflows w where w.organization_id = org_id and w.deleted_at is null;
  if (tg_op = 'INSERT' and new.deleted_at is null or tg_op = 'UPDATE' and old.deleted_at is not null and new.deleted_at is null)
     and workflow_count > workflow_limit then
    raise exception 'plan limit reached: max_workflows is %', workflow_limit
      using errcode = 'FL402', detail = jsonb_build_object('limit', 'max_workflows', 'max', workflow_limit)::text;
  end if;
  update public.organizations o set current_workflows = workflow_count where o.id = org_id;
  return null;
end $$;

/**
 * Every run is recorded before it starts, by users and workers alike: refusing the record of a
 * run of a deleted workflow stops any trigger that raced its deletion. SECURITY DEFINER: it
 * only answers whether the workflow is deleted, whatever the caller may read.
 */
create or replace function app.execution_needs_live_workflow() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if exists (select 1 from public.workflows w
             where w.id = new.workflow_id and w.organization_id = new.organization_id and w.deleted_at is not null) then
    raise exception 'this workflow is deleted' using errcode = 'FL409';
  end if;
  return new;
end $$;

/** The webhook entry (replaces 20261127000700's): a deleted workflow's token names nothing. */
create or replace function app.webhook_target(p_token text)
returns table (
  organization_id uuid, workflow_id uuid, status text, trigger_type text,
  version_id uuid, version int, ir jsonb, webhook_secret text
)
language sql stable security definer set search_path = ''
as $$
  select w.organization_id, w.id, w.status, w.trigger_type, v.id, v.version, v.ir, w.webhook_secret
  from public.workflows w
  join public.organizations o on o.id = w.organization_id
  join public.workflow_versions v on v.workflow_id = w.id and v.version = w.published_version
  where w.webhook_token = p_token
    and w.status = 'published'
    and w.deleted_at is null
    and o.subscription_status not in ('inactive', 'cancelled')
$$;

-- -------------------------------------------------------------------------------------
-- Triggers. Audit: the existing workflows_audit trigger records a deletion and a restore as
-- an UPDATE of deleted_at (and deleted_by), with the actor.
-- -------------------------------------------------------------------------------------
create trigger workflows_trash_rules before update on public.workflows
  for each row execute function app.workflow_trash_rules();

create trigger workflows_count_trash after update of deleted_at on public.workflows
  for each row when (old.deleted_at is distinct from new.deleted_at) execute function app.count_workflows();

create trigger executions_live_workflow before insert on public.executions
  for each row execute function app.execution_needs_live_workflow();
