-- =====================================================================================
-- Accounts (1/4): plans and ownership
-- Everything a caller without table grants needs goes through one SECURITY DEFINER function
-- with a narrow contract; the tables stay RLS-forced. `anon` is the role of unauthenticated API
-- calls (sign-up, login, refresh, invitation preview).
-- =====================================================================================

grant usage on schema app, auth to anon;

-- -------------------------------------------------------------------------------------
-- Plans: the limits each plan grants. Changing an organization's plan resets its limits.
-- -------------------------------------------------------------------------------------
create or replace function app.plan_limits(p_plan text)
returns table (max_users int, max_workflows int, max_bots int, max_executions_per_month int)
language sql immutable set search_path = ''
as $$
  select p.max_users, p.max_workflows, p.max_bots, p.max_executions_per_month from (values
    ('free', 3, 5, 1, 1000),
    ('starter', 5, 25, 3, 10000),
    ('professional', 15, 100, 10, 100000),
    ('enterprise', 100, 1000, 50, 1000000)
  ) as p(plan, max_users, max_workflows, max_bots, max_executions_per_month)
  where p.plan = p_plan
$$;

/**
 * What a signed-in user may change on their organization row: name and settings with
 * organization:update (the policy), the plan only with billing:update; subscription status,
 * limits and usage counters only through the platform (migration owner, workers, triggers).
 */
create or replace function app.guard_organization_update() returns trigger
language plpgsql set search_path = ''
as $$
declare
  plan_limits record;
begin
  if current_user = 'authenticated' then
    if (new.current_users, new.current_workflows, new.current_bots, new.current_month_executions, new.subscription_status,
        new.max_users, new.max_workflows, new.max_bots, new.max_executions_per_month, new.slug)
       is distinct from
       (old.current_users, old.current_workflows, old.current_bots, old.current_month_executions, old.subscription_status,
        old.max_users, old.max_workflows, old.max_bots, old.max_executions_per_month, old.slug) then
      raise exception 'usage, limits, subscription status and slug are managed by the platform' using errcode = '42501';
    end if;
    if new.subscription_plan is distinct from old.subscription_plan
       and not app.has_permission(new.id, 'billing', 'update') then
      raise exception 'changing the plan needs billing:update' using errcode = '42501';
    end if;
  end if;
  if new.subscription_plan is distinct from old.subscription_plan then
    select * into plan_limits from app.plan_limits(new.subscription_plan);
    new.max_users := plan_limits.max_users;
    new.max_workflows := plan_limits.max_workflows;
    new.max_bots := plan_limits.max_bots;
    new.max_executions_per_month := plan_limits.max_executions_per_month;
  end if;
  return new;
end $$;

create trigger organizations_guard before update on public.organizations
  for each row execute function app.guard_organization_update();

-- -------------------------------------------------------------------------------------
-- Ownership: exactly one owner per organization, changed only by transfer_ownership().
-- -------------------------------------------------------------------------------------
create or replace function app.protect_owner() returns trigger
language plpgsql set search_path = ''
as $$
begin
  -- SECURITY DEFINER functions (sign-up, transfer) and cascades run as the owner role.
  if current_user not in ('authenticated', 'worker', 'anon') then
    return coalesce(new, old);
  end if;
  if tg_op = 'INSERT' and new.role = 'owner' then
    raise exception 'the owner role is given only by sign-up or an ownership transfer' using errcode = 'FL409';
  end if;
  if tg_op = 'UPDATE' and (old.role = 'owner' or new.role = 'owner')
     and (new.role, new.status, new.user_id) is distinct from (old.role, old.status, old.user_id) then
    raise exception 'the owner cannot be changed here: transfer ownership instead' using errcode = 'FL409';
  end if;
  if tg_op = 'DELETE' and old.role = 'owner' then
    raise exception 'the owner cannot be removed: transfer ownership first' using errcode = 'FL409';
  end if;
  return coalesce(new, old);
end $$;

create trigger organization_members_protect_owner before insert or update or delete on public.organization_members
  for each row execute function app.protect_owner();

-- A team member linked to a login must link to a member of the same organization.
alter table public.team_members
  add constraint team_members_user_is_member foreign key (organization_id, user_id)
  references public.organization_members (organization_id, user_id) on delete set null (user_id);

-- -------------------------------------------------------------------------------------
-- Ownership transfer: the owner hands over to an active member and becomes administrator.
-- -------------------------------------------------------------------------------------
create or replace function app.transfer_ownership(p_org uuid, p_member uuid) returns void
language plpgsql security definer set search_path = ''
as $$
declare
  current_owner public.organization_members;
  target public.organization_members;
begin
  select * into current_owner from public.organization_members m
  where m.organization_id = p_org and m.user_id = auth.uid() and m.role = 'owner' and m.status = 'active'
  for update;
  if not found then
    raise exception 'only the owner can transfer ownership' using errcode = '42501';
  end if;
  select * into target from public.organization_members m where m.organization_id = p_org and m.id = p_member for update;
  if not found then
    raise exception 'member not found' using errcode = 'FL404';
  end if;
  if target.id = current_owner.id or target.status <> 'active' then
    raise exception 'ownership goes to another active member' using errcode = 'FL409';
  end if;
  update public.organization_members m set role = 'administrator' where m.id = current_owner.id;
  update public.organization_members m set role = 'owner', custom_permissions = '{}'::jsonb where m.id = target.id;
end $$;

grant execute on function app.transfer_ownership(uuid, uuid) to authenticated;
-- The organization guard runs as the caller (it must see who the caller is) and reads plans.
grant execute on function app.plan_limits(text) to authenticated;
