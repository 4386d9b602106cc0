-- =====================================================================================
-- Platform foundation
-- The `app` schema holds helpers that policies call (SECURITY DEFINER functions); it is not
-- exposed through any API. Business tables live in `public`.
-- =====================================================================================

create schema if not exists app;
revoke all on schema app from public;

-- -------------------------------------------------------------------------------------
-- Readiness probe support: a cheap, read-only function the worker's readiness activity calls,
-- so /readyz proves the worker can reach this database *and* that migrations ran.
-- -------------------------------------------------------------------------------------
create or replace function app.platform_info()
returns table (server_version text, migrated boolean)
language sql
stable
set search_path = ''
as $$
  select current_setting('server_version'), true;
$$;
