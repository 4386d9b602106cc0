import type { Sql } from '../../db/client';
import { testSql } from '../helpers/db';

// Lint over the database catalog: rules that must hold for every table, policy, view and
// helper that any migration adds, now and later.
const APP_SCHEMAS = ['public', 'app'];

describe('database catalog', () => {
  let sql: Sql;
  beforeAll(() => {
    sql = testSql();
  });
  afterAll(async () => {
    await sql.end();
  });

  it('has tables to check', async () => {
    const [row] = await sql`select count(*)::int as n from pg_tables where schemaname = any(${APP_SCHEMAS})`;
    expect(row?.n).toBeGreaterThanOrEqual(5);
  });

  it('enables and forces RLS on every table', async () => {
    const rows = await sql`
      select n.nspname || '.' || c.relname as name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname = any(${APP_SCHEMAS})
        and not (c.relrowsecurity and c.relforcerowsecurity)`;
    expect(rows).toEqual([]);
  });

  it('has no policy that lets everything through', async () => {
    const rows = await sql`
      select schemaname || '.' || tablename || ': ' || policyname as policy
      from pg_policies
      where schemaname = any(${APP_SCHEMAS})
        and (btrim(coalesce(qual, ''), '() ') = 'true' or btrim(coalesce(with_check, ''), '() ') = 'true')`;
    expect(rows).toEqual([]);
  });

  it('has no view without security_invoker', async () => {
    const rows = await sql`
      select n.nspname || '.' || c.relname as name
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'v' and n.nspname = any(${APP_SCHEMAS})
        and not coalesce('security_invoker=true' = any(c.reloptions), false)`;
    expect(rows).toEqual([]);
  });

  it('pins search_path on every SECURITY DEFINER function', async () => {
    const rows = await sql`
      select n.nspname || '.' || p.proname as name
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where p.prosecdef and n.nspname = any(${[...APP_SCHEMAS, 'auth']})
        and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) c where c like 'search_path=%')`;
    expect(rows).toEqual([]);
  });

  it('keeps app helpers private: none is executable by PUBLIC', async () => {
    const rows = await sql`
      select p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'app' and has_function_privilege('public', p.oid, 'execute')`;
    expect(rows).toEqual([]);
  });

  describe('every tenant table (one with organization_id)', () => {
    let tenantTables: string[];
    beforeAll(async () => {
      const rows = await sql<{ name: string }[]>`
        select table_schema || '.' || table_name as name from information_schema.columns
        where column_name = 'organization_id' and table_schema = any(${APP_SCHEMAS})
          and table_name in (select tablename from pg_tables where schemaname = any(${APP_SCHEMAS}))
        order by 1`;
      tenantTables = rows.map((r) => r.name);
    });

    it('are found', () => {
      expect(tenantTables).toEqual(expect.arrayContaining(['public.organization_members', 'public.team_members', 'public.invitations']));
    });

    it('makes organization_id not null', async () => {
      const rows = await sql`
        select table_schema || '.' || table_name as name from information_schema.columns
        where column_name = 'organization_id' and is_nullable = 'YES'
          and (table_schema || '.' || table_name) = any(${tenantTables})`;
      expect(rows).toEqual([]);
    });

    it('has an index leading with organization_id', async () => {
      const rows = await sql<{ name: string }[]>`
        select t.name from unnest(${tenantTables}::text[]) as t(name)
        where not exists (
          select 1 from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
          where i.indrelid = t.name::regclass and a.attname = 'organization_id')`;
      expect(rows.map((r) => r.name)).toEqual([]);
    });

    it('has a restrictive tenant-guard policy', async () => {
      const rows = await sql<{ name: string }[]>`
        select t.name from unnest(${tenantTables}::text[]) as t(name)
        where not exists (
          select 1 from pg_policies p
          where p.schemaname || '.' || p.tablename = t.name and p.permissive = 'RESTRICTIVE' and 'authenticated' = any(p.roles))`;
      expect(rows.map((r) => r.name)).toEqual([]);
    });

    it('keeps organization_id immutable with a trigger', async () => {
      const rows = await sql<{ name: string }[]>`
        select t.name from unnest(${tenantTables}::text[]) as t(name)
        where not exists (
          select 1 from pg_trigger tr join pg_proc p on p.oid = tr.tgfoid
          where tr.tgrelid = t.name::regclass and p.proname = 'forbid_organization_change')`;
      expect(rows.map((r) => r.name)).toEqual([]);
    });
  });
});
