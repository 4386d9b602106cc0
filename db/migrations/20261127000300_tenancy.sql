-- =====================================================================================
-- Tenancy: organizations, members, team members, role permissions, invitations
-- Order per table: create -> grants -> RLS -> policies -> triggers. Every policy delegates to
-- one helper in `app`; helpers are SECURITY DEFINER with an empty search_path.
-- =====================================================================================

-- -------------------------------------------------------------------------------------
-- Tables
-- -------------------------------------------------------------------------------------
create table public.organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(btrim(name)) between 1 and 200),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 63),
  subscription_status text not null default 'trial'
    check (subscription_status in ('trial', 'active', 'inactive', 'cancelled')),
  subscription_plan text not null default 'free'
    check (subscription_plan in ('free', 'starter', 'professional', 'enterprise')),
  max_users int not null default 3 check (max_users >= 0),
  max_workflows int not null default 5 check (max_workflows >= 0),
  max_bots int not null default 1 check (max_bots >= 0),
  max_executions_per_month int not null default 1000 check (max_executions_per_month >= 0),
  current_users int not null default 0 check (current_users >= 0),
  current_workflows int not null default 0 check (current_workflows >= 0),
  current_bots int not null default 0 check (current_bots >= 0),
  current_month_executions int not null default 0 check (current_month_executions >= 0),
  settings jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table public.organization_members (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null check (role in ('owner', 'administrator', 'sales', 'bot_trainer', 'viewer')),
  status text not null default 'active' check (status in ('active', 'invited', 'suspended')),
  custom_permissions jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, user_id),
  -- Target of composite foreign keys: a row can only point at a member of its own org.
  unique (organization_id, id)
);
create index organization_members_user_idx on public.organization_members (user_id, organization_id);

create table public.team_members (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  external_id text,
  email text,
  full_name text not null check (length(btrim(full_name)) between 1 and 200),
  user_id uuid references auth.users (id) on delete set null,
  member_type text not null default 'sales' check (member_type in ('sales', 'support', 'operations')),
  -- Basis points (1% = 100): an integer, never a float.
  commission_rate_bps int check (commission_rate_bps between 0 and 10000),
  commission_type text check (commission_type in ('percentage', 'flat')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, external_id),
  unique (organization_id, id)
);
create index team_members_org_name_idx on public.team_members (organization_id, full_name, id);

create table public.role_permissions (
  role text not null check (role in ('owner', 'administrator', 'sales', 'bot_trainer', 'viewer')),
  resource text not null,
  action text not null check (action in ('create', 'read', 'update', 'delete', 'approve')),
  primary key (role, resource, action)
);

create table public.invitations (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  email text not null,
  role text not null check (role in ('administrator', 'sales', 'bot_trainer', 'viewer')),
  token_hash text not null unique,
  invited_by uuid not null,
  expires_at timestamptz not null,
  accepted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (organization_id, invited_by) references public.organization_members (organization_id, id) on delete cascade
);
create index invitations_org_idx on public.invitations (organization_id, created_at desc);

-- -------------------------------------------------------------------------------------
-- Helpers (called by policies as `organization_id = any ((select app.orgs_with(...)))`: a
-- set-returning call in an uncorrelated subquery, evaluated once per statement, not per row). User helpers look only at memberships; the worker helper only
-- at the org_id claim, and it is used only in policies `to worker`, so claims alone can never
-- widen what a user request sees.
-- -------------------------------------------------------------------------------------

/** The organization a worker transaction acts for (claims: {"role":"worker","org_id":...}). */
create or replace function app.worker_org() returns uuid
language sql stable security definer set search_path = ''
as $$ select case when auth.role() = 'worker' then nullif(auth.jwt() ->> 'org_id', '')::uuid end $$;

-- The two hot helpers are PL/pgSQL rather than SQL: a SECURITY DEFINER SQL function is never
-- inlined and is re-planned on every call, while PL/pgSQL caches its plan per session
-- (bench/rls.ts measured the difference on every list query).

/** Organizations where the caller is an active member. */
create or replace function app.member_orgs() returns setof uuid
language plpgsql stable security definer set search_path = ''
as $$
begin
  return query
    select m.organization_id
    from public.organization_members m
    where m.user_id = auth.uid() and m.status = 'active';
end $$;

/** Organizations where the caller holds resource:action (role grant or custom grant, minus custom deny). */
create or replace function app.orgs_with(p_resource text, p_action text) returns setof uuid
language plpgsql stable security definer set search_path = ''
as $$
begin
  return query
    select m.organization_id
    from public.organization_members m
    where m.user_id = auth.uid()
      and m.status = 'active'
      and not coalesce(m.custom_permissions -> 'deny' ? (p_resource || ':' || p_action), false)
      and (
        exists (select 1 from public.role_permissions rp
                where rp.role = m.role and rp.resource = p_resource and rp.action = p_action)
        or coalesce(m.custom_permissions -> 'grant' ? (p_resource || ':' || p_action), false)
      );
end $$;

create or replace function app.has_permission(p_org uuid, p_resource text, p_action text) returns boolean
language sql stable security definer set search_path = ''
as $$ select p_org in (select app.orgs_with(p_resource, p_action)) $$;

create or replace function app.is_member(p_org uuid) returns boolean
language sql stable security definer set search_path = ''
as $$ select p_org in (select app.member_orgs()) $$;

/** Rows never move between tenants: organization_id is fixed at insert. */
create or replace function app.forbid_organization_change() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if new.organization_id is distinct from old.organization_id then
    raise exception 'organization_id cannot change' using errcode = '42501';
  end if;
  return new;
end $$;

create or replace function app.touch_updated_at() returns trigger
language plpgsql set search_path = ''
as $$ begin new.updated_at := now(); return new; end $$;

grant execute on function app.member_orgs(), app.orgs_with(text, text), app.has_permission(uuid, text, text),
  app.is_member(uuid) to authenticated;
grant execute on function app.worker_org() to worker;

-- -------------------------------------------------------------------------------------
-- Grants (RLS decides which rows)
-- -------------------------------------------------------------------------------------
grant select, update, delete on public.organizations to authenticated;
grant select, insert, update, delete on public.organization_members, public.team_members, public.invitations to authenticated;
grant select on public.role_permissions to authenticated;
grant select on public.organizations, public.team_members, public.organization_members to worker;

-- -------------------------------------------------------------------------------------
-- RLS: enabled and forced everywhere
-- -------------------------------------------------------------------------------------
alter table public.organizations enable row level security;
alter table public.organizations force row level security;
alter table public.organization_members enable row level security;
alter table public.organization_members force row level security;
alter table public.team_members enable row level security;
alter table public.team_members force row level security;
alter table public.role_permissions enable row level security;
alter table public.role_permissions force row level security;
alter table public.invitations enable row level security;
alter table public.invitations force row level security;

-- -------------------------------------------------------------------------------------
-- Policies: one per command, named as sentences
-- -------------------------------------------------------------------------------------
create policy "Organizations are visible to their members"
  on public.organizations for select to authenticated
  using (id = any ((select app.orgs_with('organization', 'read'))));
create policy "Organizations are updated by members allowed to"
  on public.organizations for update to authenticated
  using (id = any ((select app.orgs_with('organization', 'update'))))
  with check (id = any ((select app.orgs_with('organization', 'update'))));
create policy "Organizations are deleted by members allowed to"
  on public.organizations for delete to authenticated
  using (id = any ((select app.orgs_with('organization', 'delete'))));

create policy "Members are visible to members allowed to read them"
  on public.organization_members for select to authenticated
  using (organization_id = any ((select app.orgs_with('members', 'read'))) or user_id = (select auth.uid()));
create policy "Members are added by members allowed to"
  on public.organization_members for insert to authenticated
  with check (organization_id = any ((select app.orgs_with('members', 'create'))));
create policy "Members are updated by members allowed to"
  on public.organization_members for update to authenticated
  using (organization_id = any ((select app.orgs_with('members', 'update'))))
  with check (organization_id = any ((select app.orgs_with('members', 'update'))));
create policy "Members are removed by members allowed to"
  on public.organization_members for delete to authenticated
  using (organization_id = any ((select app.orgs_with('members', 'delete'))));

create policy "Team members are visible to members allowed to read them"
  on public.team_members for select to authenticated
  using (organization_id = any ((select app.orgs_with('team_members', 'read'))));
create policy "Team members are created by members allowed to"
  on public.team_members for insert to authenticated
  with check (organization_id = any ((select app.orgs_with('team_members', 'create'))));
create policy "Team members are updated by members allowed to"
  on public.team_members for update to authenticated
  using (organization_id = any ((select app.orgs_with('team_members', 'update'))))
  with check (organization_id = any ((select app.orgs_with('team_members', 'update'))));
create policy "Team members are deleted by members allowed to"
  on public.team_members for delete to authenticated
  using (organization_id = any ((select app.orgs_with('team_members', 'delete'))));

create policy "Role permissions are readable by signed-in users"
  on public.role_permissions for select to authenticated
  using ((select auth.uid()) is not null);

create policy "Invitations are visible to members allowed to read members"
  on public.invitations for select to authenticated
  using (organization_id = any ((select app.orgs_with('members', 'read'))));
create policy "Invitations are sent by members allowed to add members"
  on public.invitations for insert to authenticated
  with check (organization_id = any ((select app.orgs_with('members', 'create'))));
create policy "Invitations are revoked by members allowed to remove members"
  on public.invitations for delete to authenticated
  using (organization_id = any ((select app.orgs_with('members', 'delete'))));

create policy "Workers see the organization they act for"
  on public.organizations for select to worker
  using (id = (select app.worker_org()));
create policy "Workers see members of the organization they act for"
  on public.organization_members for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers see team members of the organization they act for"
  on public.team_members for select to worker
  using (organization_id = (select app.worker_org()));

-- A restrictive guard on every tenant table: whatever other policies say, a row outside the
-- caller's organizations is never visible nor writable.
create policy "Members rows stay inside the caller's organizations"
  on public.organization_members as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())) or user_id = (select auth.uid()))
  with check (organization_id = any ((select app.member_orgs())));
create policy "Team member rows stay inside the caller's organizations"
  on public.team_members as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));
create policy "Invitation rows stay inside the caller's organizations"
  on public.invitations as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));

create policy "Worker rows stay inside the organization it acts for"
  on public.organization_members as restrictive for all to worker
  using (organization_id = (select app.worker_org()));
create policy "Worker team member rows stay inside the organization it acts for"
  on public.team_members as restrictive for all to worker
  using (organization_id = (select app.worker_org()));

-- -------------------------------------------------------------------------------------
-- Triggers
-- -------------------------------------------------------------------------------------
create trigger organization_members_fixed_org before update on public.organization_members
  for each row execute function app.forbid_organization_change();
create trigger team_members_fixed_org before update on public.team_members
  for each row execute function app.forbid_organization_change();
create trigger invitations_fixed_org before update on public.invitations
  for each row execute function app.forbid_organization_change();

create trigger organizations_touch before update on public.organizations
  for each row execute function app.touch_updated_at();
create trigger organization_members_touch before update on public.organization_members
  for each row execute function app.touch_updated_at();
create trigger team_members_touch before update on public.team_members
  for each row execute function app.touch_updated_at();
