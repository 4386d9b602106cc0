-- Retention of the trash for workflows and team members (soft delete: 20261207000400 and
-- 20261207000600), in the shape of 20261207000700_data_retention.sql.
-- A purged workflow takes its versions and runs with it. A team member with commission history
-- (calculations or payouts, which name their payee) is never purged: the books keep their name;
-- they stay deleted, past the restore window.

create or replace function app.retention_take_trash_workflows(p_batch int, p_org uuid default null) returns table (organization_id uuid, archive boolean, item jsonb)
language plpgsql security definer set search_path = ''
as $$
begin
  return query
  with expired as (
    select w.organization_id, w.id
    from public.workflows w
    join public.organizations o on o.id = w.organization_id
    where w.deleted_at < now() - make_interval(days => app.trash_retention_days(o.settings))
      and (p_org is null or w.organization_id = p_org)
    order by w.deleted_at
    limit greatest(1, least(p_batch, 10000))
    for update of w skip locked
  ), gone as (
    delete from public.workflows w using expired x
    where w.organization_id = x.organization_id and w.id = x.id
    returning w.*
  )
  -- The webhook secrets are not archived: they die with the workflow.
  select g.organization_id, app.archive_before_delete(o.settings), to_jsonb(g) - 'webhook_token' - 'webhook_secret'
  from gone g join public.organizations o on o.id = g.organization_id;
end $$;

create or replace function app.retention_take_trash_team_members(p_batch int, p_org uuid default null) returns table (organization_id uuid, archive boolean, item jsonb)
language plpgsql security definer set search_path = ''
as $$
begin
  return query
  with expired as (
    select t.organization_id, t.id
    from public.team_members t
    join public.organizations o on o.id = t.organization_id
    where t.deleted_at < now() - make_interval(days => app.trash_retention_days(o.settings))
      and (p_org is null or t.organization_id = p_org)
      and not exists (select 1 from public.commission_calculations c where c.organization_id = t.organization_id and c.team_member_id = t.id)
      and not exists (select 1 from public.commission_payouts p where p.organization_id = t.organization_id and p.team_member_id = t.id)
    order by t.deleted_at
    limit greatest(1, least(p_batch, 10000))
    for update of t skip locked
  ), gone as (
    delete from public.team_members t using expired x
    where t.organization_id = x.organization_id and t.id = x.id
    returning t.*
  )
  select g.organization_id, app.archive_before_delete(o.settings), to_jsonb(g)
  from gone g join public.organizations o on o.id = g.organization_id;
end $$;

revoke execute on function app.retention_take_trash_workflows(int, uuid), app.retention_take_trash_team_members(int, uuid) from public;
grant execute on function app.retention_take_trash_workflows(int, uuid), app.retention_take_trash_team_members(int, uuid) to worker;
