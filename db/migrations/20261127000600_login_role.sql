-- =====================================================================================
-- The login role of the API and worker processes
-- flowline_app can log in and do nothing else: no table or function grants of its own, and
-- NOINHERIT, so it holds no privilege until a transaction switches to one of the request roles
-- (`authenticated`, `anon`, `worker`), where RLS applies. A query that forgot to switch fails
-- with "permission denied" instead of running with the migration owner's rights.
-- Its password is set by the launcher / setup (never in a migration).
-- =====================================================================================

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'flowline_app') then
    create role flowline_app login noinherit;
  end if;
end $$;

grant authenticated, anon, worker to flowline_app;

-- The readiness probe (worker -> database) is the one call made as the login role itself.
grant usage on schema app to flowline_app;
grant execute on function app.platform_info() to flowline_app;
