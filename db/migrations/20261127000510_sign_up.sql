-- =====================================================================================
-- Accounts (2/4): sign-up, organizations created by users, profiles
-- =====================================================================================

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

grant execute on function app.sign_up(text, text, text, text), app.user_credentials(text) to anon;
grant execute on function app.create_organization(text), app.my_profile(), app.org_member_profiles(uuid) to authenticated;
