import type { Sql } from '../../db/client';
import { withClaims } from '../../db/tenant';
import { appSql, testSql } from '../helpers/db';
import { createTenant, type Tenant } from '../helpers/tenants';

// The API and worker log in as flowline_app. Everything they do must go through a request role
// (authenticated / anon / worker) where RLS applies; on its own the login role can do nothing.
describe('the app login role', () => {
  let owner: Sql;
  let app: Sql;
  let t: Tenant;
  beforeAll(async () => {
    owner = testSql();
    app = appSql();
    t = await createTenant(owner, 'login-role');
  });
  afterAll(async () => {
    await app.end();
    await owner.end();
  });

  const sqlstate = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);

  it('is not a superuser, cannot bypass RLS, and inherits nothing', async () => {
    const [role] = await app`select rolsuper, rolbypassrls, rolinherit, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user`;
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolinherit: false, rolcreaterole: false, rolcreatedb: false });
  });

  it('holds no privilege on any table of its own', async () => {
    const rows = await owner`
      select n.nspname || '.' || c.relname as name
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'v') and n.nspname in ('public', 'app', 'auth')
        and (has_table_privilege('flowline_app', c.oid, 'select') or has_table_privilege('flowline_app', c.oid, 'insert')
          or has_table_privilege('flowline_app', c.oid, 'update') or has_table_privilege('flowline_app', c.oid, 'delete'))`;
    expect(rows).toEqual([]);
    expect(await sqlstate(app`select * from public.organizations`)).toBe('42501');
    expect(await sqlstate(app`select * from auth.users`)).toBe('42501');
    expect(await sqlstate(app`select * from app.refresh_tokens`)).toBe('42501');
    expect(await sqlstate(app`select * from app.sign_up('x@example.test', 'h', 'x', 'x')`)).toBe('42501');
  });

  it('cannot switch to the migration owner', async () => {
    const [who] = await owner<{ u: string }[]>`select current_user as u`;
    expect(await sqlstate(app.begin((tx) => tx.unsafe(`set local role "${who!.u}"`)))).toBe('42501');
  });

  it('works through a request role, under RLS', async () => {
    const mine = await withClaims(app, { role: 'authenticated', sub: t.users.viewer.userId }, (tx) => tx`select id from public.organizations`);
    expect(mine.map((r) => r.id)).toEqual([t.orgId]);
    const none = await withClaims(app, { role: 'authenticated', sub: '00000000-0000-0000-0000-000000000000' }, (tx) => tx`select id from public.organizations`);
    expect(none).toEqual([]);
  });
});
