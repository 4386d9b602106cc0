-- Data keys for Temporal payload encryption (codec/). Every organization has its own AES-256
-- data key; payloads that name no organization use the platform's. A data key is stored only
-- wrapped: sealed by the master key ring (FLOWLINE_ENCRYPTION_KEY, db/secrets.ts) for the
-- context `data-key:<orgId>:<version>` (`data-key:platform:<version>`), so a wrapped key copied
-- to another row or organization does not open. Old versions stay (retired) so everything
-- they encrypted still decrypts.
--
-- Nobody reads these tables through RLS: people (authenticated) have no grant and no
-- function that returns a wrapped key; the worker role reads and adds keys only through the
-- SECURITY DEFINER functions below, and only for the organization its claims act for.
-- Master-key rotation (re-wrapping every row) runs as the migration owner, like migrations.
-- Deleting an organization deletes its data keys: what Temporal still holds for it becomes
-- unreadable (crypto-shredding).
-- Order: tables -> grants -> RLS -> policies -> functions -> triggers.

create table public.organization_data_keys (
  organization_id uuid not null references public.organizations (id) on delete cascade,
  version int not null check (version > 0),
  wrapped_key text not null check (length(wrapped_key) between 1 and 1000),
  -- The master key that sealed wrapped_key (also named inside the envelope): what a master-key
  -- rotation has left to re-wrap is `master_key_id <> <new key id>`.
  master_key_id text not null check (master_key_id ~ '^[A-Za-z0-9_-]{1,32}$'),
  status text not null default 'active' check (status in ('active', 'retired')),
  created_at timestamptz not null default now(),
  retired_at timestamptz,
  primary key (organization_id, version),
  check ((status = 'retired') = (retired_at is not null))
);
-- New payloads are encrypted with the one active version.
create unique index organization_data_keys_active_idx on public.organization_data_keys (organization_id) where status = 'active';
create index organization_data_keys_master_idx on public.organization_data_keys (master_key_id);

create table public.platform_data_keys (
  version int primary key check (version > 0),
  wrapped_key text not null check (length(wrapped_key) between 1 and 1000),
  master_key_id text not null check (master_key_id ~ '^[A-Za-z0-9_-]{1,32}$'),
  status text not null default 'active' check (status in ('active', 'retired')),
  created_at timestamptz not null default now(),
  retired_at timestamptz,
  check ((status = 'retired') = (retired_at is not null))
);
create unique index platform_data_keys_active_idx on public.platform_data_keys ((true)) where status = 'active';

-- -------------------------------------------------------------------------------------
-- Grants: none. Reads and writes go through the functions below.
-- -------------------------------------------------------------------------------------
alter table public.organization_data_keys enable row level security;
alter table public.organization_data_keys force row level security;
alter table public.platform_data_keys enable row level security;
alter table public.platform_data_keys force row level security;

-- No permissive policy: with RLS forced, a grant added by mistake later still shows nothing.
-- The restrictive guards keep the tenant rule every tenant table has.
create policy "Data key rows stay inside the caller's organizations"
  on public.organization_data_keys as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));
create policy "Worker data key rows stay inside the organization it acts for"
  on public.organization_data_keys as restrictive for all to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));

-- -------------------------------------------------------------------------------------
-- Functions (worker only). `p_org` must be the organization the worker's claims act for:
-- the claim, not the argument, decides.
-- -------------------------------------------------------------------------------------

/** Every version of the organization's data key, newest first (the active one, then retired ones). */
create or replace function app.data_keys(p_org uuid)
returns table (version int, wrapped_key text, master_key_id text, status text)
language plpgsql stable security definer set search_path = ''
as $$
begin
  if p_org is null or p_org is distinct from app.worker_org() then
    raise exception 'data keys are read only for the organization the worker acts for' using errcode = '42501';
  end if;
  return query
    select k.version, k.wrapped_key, k.master_key_id, k.status
    from public.organization_data_keys k
    where k.organization_id = p_org
    order by k.version desc;
end $$;

/**
 * Adds version p_version of the organization's data key and makes it the active one (the
 * previous active version is retired). Idempotent under concurrency: when another caller
 * already added that version, or an active version at least as new exists, nothing changes and
 * false is answered; the caller reads the keys again and uses the active one. An organization
 * that does not exist gets no key (null).
 */
create or replace function app.add_data_key(p_org uuid, p_version int, p_wrapped_key text, p_master_key_id text)
returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  active_version int;
begin
  if p_org is null or p_org is distinct from app.worker_org() then
    raise exception 'data keys are added only for the organization the worker acts for' using errcode = '42501';
  end if;
  -- One writer per organization at a time: first uses and rotations queue here.
  perform pg_advisory_xact_lock(hashtextextended('data-key:' || p_org::text, 0));
  if not exists (select 1 from public.organizations o where o.id = p_org) then
    return null;
  end if;
  select k.version into active_version from public.organization_data_keys k
  where k.organization_id = p_org and k.status = 'active';
  if active_version >= p_version
     or exists (select 1 from public.organization_data_keys k where k.organization_id = p_org and k.version = p_version) then
    return false;
  end if;
  update public.organization_data_keys set status = 'retired', retired_at = now()
  where organization_id = p_org and status = 'active';
  insert into public.organization_data_keys (organization_id, version, wrapped_key, master_key_id)
  values (p_org, p_version, p_wrapped_key, p_master_key_id);
  return true;
end $$;

/** Every version of the platform data key (payloads that name no organization), newest first. */
create or replace function app.platform_data_keys()
returns table (version int, wrapped_key text, master_key_id text, status text)
language sql stable security definer set search_path = ''
as $$
  select k.version, k.wrapped_key, k.master_key_id, k.status
  from public.platform_data_keys k
  order by k.version desc;
$$;

/** As app.add_data_key, for the platform data key. */
create or replace function app.add_platform_data_key(p_version int, p_wrapped_key text, p_master_key_id text)
returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  active_version int;
begin
  perform pg_advisory_xact_lock(hashtextextended('data-key:platform', 0));
  select k.version into active_version from public.platform_data_keys k where k.status = 'active';
  if active_version >= p_version
     or exists (select 1 from public.platform_data_keys k where k.version = p_version) then
    return false;
  end if;
  update public.platform_data_keys set status = 'retired', retired_at = now() where status = 'active';
  insert into public.platform_data_keys (version, wrapped_key, master_key_id)
  values (p_version, p_wrapped_key, p_master_key_id);
  return true;
end $$;

revoke execute on function app.data_keys(uuid), app.add_data_key(uuid, int, text, text),
  app.platform_data_keys(), app.add_platform_data_key(int, text, text) from public;
grant execute on function app.data_keys(uuid), app.add_data_key(uuid, int, text, text),
  app.platform_data_keys(), app.add_platform_data_key(int, text, text) to worker;

-- -------------------------------------------------------------------------------------
-- Triggers
-- -------------------------------------------------------------------------------------
create trigger organization_data_keys_fixed_org before update on public.organization_data_keys
  for each row execute function app.forbid_organization_change();
