-- =====================================================================================
-- Accounts: sign-up, sessions (refresh tokens), organizations created by users, invitations,
-- ownership, plans. Everything a caller without table grants needs goes through one
-- SECURITY DEFINER function with a narrow contract; the tables stay RLS-forced.
-- `anon` is the role of unauthenticated API calls (sign-up, login, refresh, invitation preview).
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
-- Organizations created by users: unique slug from the name, owner membership, plan limits.
-- -------------------------------------------------------------------------------------
create or replace function app.slugify(p_name text) returns text
language sql immutable set search_path = ''
as $$
  select coalesce(nullif(left(btrim(regexp_replace(lower(p_name), '[^a-z0-9]+', '-', 'g'), '-'), 48), ''), 'org')
$$;

create or replace function app.insert_organization(p_name text, p_owner uuid)
returns table (id uuid, name text, slug text)
language plpgsql security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  base text := btrim(app.slugify(p_name), '-');
  candidate text := base;
  org_id uuid;
  limits record;
begin
  select * into limits from app.plan_limits('free');
  -- The unique index decides between racing sign-ups: a taken slug gets a random suffix.
  for attempt in 1..20 loop
    insert into public.organizations (name, slug, max_users, max_workflows, max_bots, max_executions_per_month)
    values (btrim(p_name), candidate, limits.max_users, limits.max_workflows, limits.max_bots, limits.max_executions_per_month)
    on conflict (slug) do nothing
    returning organizations.id into org_id;
    exit when org_id is not null;
    candidate := base || '-' || substr(md5(gen_random_uuid()::text), 1, 6);
  end loop;
  if org_id is null then
    raise exception 'could not find a free slug for %', p_name using errcode = '23505';
  end if;
  insert into public.organization_members (organization_id, user_id, role) values (org_id, p_owner, 'owner');
  return query select org_id, btrim(p_name), candidate;
end $$;

/** The caller's user id; entry points for signed-in users refuse anyone else. */
create or replace function app.signed_in_user() returns uuid
language plpgsql stable set search_path = ''
as $$
begin
  if auth.uid() is null then
    raise exception 'not signed in' using errcode = '42501';
  end if;
  return auth.uid();
end $$;

/** POST /orgs: the caller creates another organization and owns it. */
create or replace function app.create_organization(p_name text)
returns table (id uuid, name text, slug text)
language plpgsql security definer set search_path = ''
as $$
#variable_conflict use_column
begin
  return query select * from app.insert_organization(p_name, app.signed_in_user());
end $$;

-- -------------------------------------------------------------------------------------
-- Users
-- -------------------------------------------------------------------------------------
create or replace function app.insert_user(p_email text, p_password_hash text, p_full_name text) returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
  user_id uuid;
begin
  insert into auth.users (email, encrypted_password, raw_user_meta_data)
  values (lower(btrim(p_email)), p_password_hash, jsonb_build_object('full_name', btrim(p_full_name)))
  returning id into user_id;
  -- From here the transaction acts as the new user, so the audit trail names them.
  perform set_config('request.jwt.claims', jsonb_build_object('sub', user_id, 'role', 'authenticated')::text, true);
  return user_id;
end $$;

/** POST /auth/signup: user, organization and owner membership in one transaction. */
create or replace function app.sign_up(p_email text, p_password_hash text, p_full_name text, p_org_name text)
returns table (user_id uuid, organization_id uuid, organization_name text, organization_slug text)
language plpgsql security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  new_user uuid := app.insert_user(p_email, p_password_hash, p_full_name);
begin
  return query select new_user, o.id, o.name, o.slug from app.insert_organization(p_org_name, new_user) o;
end $$;

/** POST /auth/login: the stored hash for an email (the API verifies it). */
create or replace function app.user_credentials(p_email text)
returns table (id uuid, email text, encrypted_password text, full_name text)
language sql stable security definer set search_path = ''
as $$
  select u.id, u.email, u.encrypted_password, u.raw_user_meta_data ->> 'full_name'
  from auth.users u where lower(u.email) = lower(btrim(p_email))
$$;

/** The signed-in caller's own profile. */
create or replace function app.my_profile()
returns table (id uuid, email text, full_name text)
language sql stable security definer set search_path = ''
as $$
  select u.id, u.email, u.raw_user_meta_data ->> 'full_name' from auth.users u where u.id = auth.uid()
$$;

/** Email and name of an organization's members, for members of that organization only. */
create or replace function app.org_member_profiles(p_org uuid)
returns table (user_id uuid, email text, full_name text)
language sql stable security definer set search_path = ''
as $$
  select u.id, u.email, u.raw_user_meta_data ->> 'full_name'
  from public.organization_members m join auth.users u on u.id = m.user_id
  where m.organization_id = p_org and app.is_member(p_org)
$$;

-- -------------------------------------------------------------------------------------
-- Sessions: opaque refresh tokens, stored as SHA-256 hashes, rotated on every use. Presenting
-- a token that was already rotated means it leaked: the whole session is revoked.
-- -------------------------------------------------------------------------------------
create table app.refresh_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  session_id uuid not null,
  token_hash text not null unique,
  parent_id uuid references app.refresh_tokens (id) on delete cascade,
  expires_at timestamptz not null,
  revoked_at timestamptz,
  created_at timestamptz not null default now()
);
create index refresh_tokens_session_idx on app.refresh_tokens (session_id);
create index refresh_tokens_user_idx on app.refresh_tokens (user_id);

-- No grants and no policies: only the functions below (owner role) touch it.
alter table app.refresh_tokens enable row level security;
alter table app.refresh_tokens force row level security;

create or replace function app.start_session(p_user uuid, p_token_hash text, p_expires_at timestamptz) returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
  session uuid := gen_random_uuid();
begin
  insert into app.refresh_tokens (user_id, session_id, token_hash, expires_at) values (p_user, session, p_token_hash, p_expires_at);
  return session;
end $$;

/**
 * Exchanges a refresh token for a new one. outcome: 'rotated' (user/email/session filled),
 * 'reused' (the session is now revoked), 'expired', or no row when the token is unknown.
 */
create or replace function app.rotate_refresh_token(p_token_hash text, p_new_hash text, p_expires_at timestamptz)
returns table (outcome text, user_id uuid, email text, session_id uuid)
language plpgsql security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  t app.refresh_tokens;
begin
  -- The row lock serialises concurrent uses of one token: the second one counts as reuse.
  select * into t from app.refresh_tokens r where r.token_hash = p_token_hash for update;
  if not found then
    return;
  end if;
  if t.revoked_at is not null then
    update app.refresh_tokens r set revoked_at = now() where r.session_id = t.session_id and r.revoked_at is null;
    return query select 'reused', t.user_id, null::text, t.session_id;
    return;
  end if;
  if t.expires_at <= now() then
    return query select 'expired', t.user_id, null::text, t.session_id;
    return;
  end if;
  update app.refresh_tokens r set revoked_at = now() where r.id = t.id;
  insert into app.refresh_tokens (user_id, session_id, token_hash, parent_id, expires_at)
  values (t.user_id, t.session_id, p_new_hash, t.id, p_expires_at);
  return query select 'rotated', t.user_id, u.email, t.session_id from auth.users u where u.id = t.user_id;
end $$;

/** Logout: revokes every token of the session the given token belongs to. */
create or replace function app.end_session(p_token_hash text) returns void
language sql security definer set search_path = ''
as $$
  update app.refresh_tokens r set revoked_at = now()
  where r.revoked_at is null
    and r.session_id = (select t.session_id from app.refresh_tokens t where t.token_hash = p_token_hash)
$$;

-- -------------------------------------------------------------------------------------
-- Seats. Limit checks run in AFTER triggers, i.e. once RLS has accepted the row: a BEFORE
-- trigger with owner rights would lock and describe an organization the caller cannot write
-- to (a cross-tenant oracle). Each check locks the organization row first, then counts in a
-- new statement, so concurrent writers queue and each one sees the others' committed rows.
-- NO KEY UPDATE: the foreign-key check of the new row already holds KEY SHARE on that row, and
-- FOR UPDATE would deadlock two writers against each other's KEY SHARE.
-- A pending invitation holds a seat: inviting beyond the plan fails now, not on acceptance.
-- -------------------------------------------------------------------------------------
drop trigger organization_members_limit on public.organization_members;
drop function app.enforce_member_limit();

create or replace function app.count_members() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  org_id uuid := coalesce(new.organization_id, old.organization_id);
  seat_limit int;
  seats int;
  adds_seat boolean := tg_op <> 'DELETE' and new.status <> 'suspended' and (tg_op = 'INSERT' or old.status = 'suspended');
begin
  select o.max_users into seat_limit from public.organizations o where o.id = org_id for no key update;
  select count(*) into seats from public.organization_members m where m.organization_id = org_id and m.status <> 'suspended';
  if adds_seat and seats > seat_limit then
    raise exception 'plan limit reached: max_users is %', seat_limit
      using errcode = 'FL402', detail = jsonb_build_object('limit', 'max_users', 'max', seat_limit)::text;
  end if;
  update public.organizations o set current_users = seats where o.id = org_id;
  return null;
end $$;

create or replace function app.check_invitation() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  org public.organizations;
  pending int;
begin
  select * into org from public.organizations o where o.id = new.organization_id for no key update;
  if exists (select 1 from public.organization_members m join auth.users u on u.id = m.user_id
             where m.organization_id = new.organization_id and lower(u.email) = lower(new.email)) then
    raise exception 'this person is already a member' using errcode = 'FL409';
  end if;
  if exists (select 1 from public.invitations i
             where i.organization_id = new.organization_id and lower(i.email) = lower(new.email) and i.id <> new.id
               and i.accepted_at is null and i.expires_at > now()) then
    raise exception 'this person already has a pending invitation' using errcode = 'FL409';
  end if;
  select count(*) into pending from public.invitations i
  where i.organization_id = new.organization_id and i.accepted_at is null and i.expires_at > now();
  if org.current_users + pending > org.max_users then
    raise exception 'plan limit reached: max_users is %', org.max_users
      using errcode = 'FL402', detail = jsonb_build_object('limit', 'max_users', 'max', org.max_users)::text;
  end if;
  return null;
end $$;

create trigger invitations_rules after insert on public.invitations
  for each row execute function app.check_invitation();

/** GET /invitations/:token: what the invitee is asked to accept. */
create or replace function app.invitation_preview(p_token_hash text)
returns table (organization_name text, email text, role text, expires_at timestamptz)
language sql stable security definer set search_path = ''
as $$
  select o.name, i.email, i.role, i.expires_at
  from public.invitations i join public.organizations o on o.id = i.organization_id
  where i.token_hash = p_token_hash and i.accepted_at is null and i.expires_at > now()
$$;

create or replace function app.accept_invitation_for(p_token_hash text, p_user uuid)
returns table (member_id uuid, organization_id uuid, role text)
language plpgsql security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  inv public.invitations;
  user_email text;
  new_member uuid;
begin
  select * into inv from public.invitations i where i.token_hash = p_token_hash for update;
  if not found or inv.accepted_at is not null or inv.expires_at <= now() then
    raise exception 'invitation not found, already used or expired' using errcode = 'FL404';
  end if;
  select u.email into user_email from auth.users u where u.id = p_user;
  if lower(user_email) is distinct from lower(inv.email) then
    raise exception 'this invitation was sent to another email address' using errcode = 'FL403';
  end if;
  if exists (select 1 from public.organization_members m where m.organization_id = inv.organization_id and m.user_id = p_user) then
    raise exception 'already a member of this organization' using errcode = 'FL409';
  end if;
  update public.invitations i set accepted_at = now() where i.id = inv.id;
  insert into public.organization_members (organization_id, user_id, role)
  values (inv.organization_id, p_user, inv.role) returning id into new_member;
  return query select new_member, inv.organization_id, inv.role;
end $$;

/** POST /invitations/:token/accept by a signed-in user. */
create or replace function app.accept_invitation(p_token_hash text)
returns table (member_id uuid, organization_id uuid, role text)
language plpgsql security definer set search_path = ''
as $$
#variable_conflict use_column
begin
  return query select * from app.accept_invitation_for(p_token_hash, app.signed_in_user());
end $$;

/** POST /invitations/:token/accept by someone new: the account gets the invitation's email. */
create or replace function app.sign_up_with_invitation(p_token_hash text, p_password_hash text, p_full_name text)
returns table (user_id uuid, email text, member_id uuid, organization_id uuid, role text)
language plpgsql security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  inv_email text;
  new_user uuid;
begin
  select i.email into inv_email from public.invitations i
  where i.token_hash = p_token_hash and i.accepted_at is null and i.expires_at > now();
  if inv_email is null then
    raise exception 'invitation not found, already used or expired' using errcode = 'FL404';
  end if;
  new_user := app.insert_user(inv_email, p_password_hash, p_full_name);
  -- The link reached this mailbox: that confirms the address.
  update auth.users u set email_confirmed_at = now() where u.id = new_user;
  return query select new_user, lower(inv_email), a.member_id, a.organization_id, a.role
  from app.accept_invitation_for(p_token_hash, new_user) a;
end $$;

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

-- -------------------------------------------------------------------------------------
-- Who may call what
-- -------------------------------------------------------------------------------------
grant execute on function
  app.sign_up(text, text, text, text), app.user_credentials(text), app.start_session(uuid, text, timestamptz),
  app.rotate_refresh_token(text, text, timestamptz), app.end_session(text), app.invitation_preview(text),
  app.sign_up_with_invitation(text, text, text)
  to anon;
grant execute on function
  app.create_organization(text), app.my_profile(), app.org_member_profiles(uuid), app.accept_invitation(text),
  app.transfer_ownership(uuid, uuid), app.start_session(uuid, text, timestamptz)
  to authenticated;
-- The organization guard runs as the caller (it must see who the caller is) and reads plans.
grant execute on function app.plan_limits(text) to authenticated;
