-- =====================================================================================
-- Database roles
-- authenticated: user requests through the API (`set local role authenticated` + claims).
-- worker: activities acting for one organization (claims carry org_id); subject to RLS too.
-- Neither can log in, bypass RLS, or own anything. The migration owner (the role running
-- this) must be a superuser or BYPASSRLS: the SECURITY DEFINER helpers it owns read
-- membership tables whose RLS is forced.
-- =====================================================================================

do $$
begin
  if not (select rolsuper or rolbypassrls from pg_roles where rolname = current_user) then
    raise exception 'migrations must run as a superuser or a BYPASSRLS role (current: %)', current_user;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'worker') then
    create role worker nologin noinherit;
  end if;
end $$;

-- The connecting role switches into these per transaction.
do $$ begin execute format('grant authenticated, worker, anon to %I', current_user); end $$;

grant usage on schema public, app, auth to authenticated, worker;

-- Functions the migration owner creates are private unless a migration grants them: set once
-- here instead of a `revoke … from public` after every new helper. (A per-schema default cannot
-- revoke the global PUBLIC grant, hence the global form, plus the functions that exist already.)
alter default privileges revoke execute on functions from public;
revoke execute on all functions in schema app from public;
grant execute on function auth.uid(), auth.jwt(), auth.role() to authenticated, worker, anon;
