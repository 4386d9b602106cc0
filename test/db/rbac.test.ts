import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Sql } from '../../db/client';
import { ACTIONS, can, type CustomPermissions, type Permission, RESOURCES, type Role, ROLES } from '../../db/rbac/matrix';
import { permissionMatrixMarkdown } from '../../db/rbac/markdown';
import { rolePermissionsSeedSql } from '../../db/rbac/seed-sql';
import { withClaims } from '../../db/tenant';
import { testSql } from '../helpers/db';
import { addMember, createOrg, createUser } from '../helpers/tenants';

const ALL: { resource: string; action: string }[] = RESOURCES.flatMap((resource) => ACTIONS.map((action) => ({ resource, action })));

describe('RBAC matrix: TypeScript and SQL agree', () => {
  let sql: Sql;
  beforeAll(() => {
    sql = testSql();
  });
  afterAll(async () => {
    await sql.end();
  });

  it('the committed SQL seed is the one generated from the matrix', () => {
    const committed = readFileSync(path.join(__dirname, '..', '..', 'db', 'seed', 'role_permissions.sql'), 'utf8');
    expect(committed).toBe(rolePermissionsSeedSql());
  });

  it('the permission table in README.md is the one generated from the matrix', () => {
    const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(`<!-- rbac-matrix:start -->\n${permissionMatrixMarkdown()}\n<!-- rbac-matrix:end -->`);
  });

  /** What app.has_permission() answers for every resource:action, as this member. */
  async function sqlPermissions(role: Role, custom: CustomPermissions): Promise<Map<string, boolean>> {
    const orgId = await createOrg(sql, 'rbac');
    const userId = await createUser(sql, `rbac-${role}`);
    await addMember(sql, orgId, userId, role, custom);
    const rows = await withClaims(sql, { role: 'authenticated', sub: userId }, (tx) => tx<{ p: string; allowed: boolean }[]>`
      select r.resource || ':' || r.action as p, app.has_permission(${orgId}, r.resource, r.action) as allowed
      from jsonb_to_recordset(${tx.json(ALL)}) as r(resource text, action text)`);
    return new Map(rows.map((r) => [r.p, r.allowed]));
  }

  function tsPermissions(role: Role, custom: CustomPermissions): Map<string, boolean> {
    return new Map(RESOURCES.flatMap((r) => ACTIONS.map((a) => [`${r}:${a}`, can(role, r, a, custom)] as const)));
  }

  it.each(ROLES)('%s: every resource x action', async (role) => {
    const fromSql = await sqlPermissions(role, {});
    expect(fromSql.size).toBe(RESOURCES.length * ACTIONS.length);
    expect(Object.fromEntries(fromSql)).toEqual(Object.fromEntries(tsPermissions(role, {})));
  });

  const overrides: CustomPermissions = {
    grant: ['workflows:create', 'billing:read'] as Permission[],
    deny: ['contacts:read', 'organization:read'] as Permission[],
  };
  it.each(ROLES)('%s: with custom grants and denies (deny wins)', async (role) => {
    const fromSql = await sqlPermissions(role, overrides);
    expect(Object.fromEntries(fromSql)).toEqual(Object.fromEntries(tsPermissions(role, overrides)));
    expect(fromSql.get('contacts:read')).toBe(false);
    expect(fromSql.get('workflows:create')).toBe(true);
  });

  it('grants nothing to a suspended member, whatever the role', async () => {
    const orgId = await createOrg(sql, 'suspended');
    const userId = await createUser(sql, 'suspended');
    const memberId = await addMember(sql, orgId, userId, 'owner');
    await sql`update public.organization_members set status = 'suspended' where id = ${memberId}`;
    const [row] = await withClaims(sql, { role: 'authenticated', sub: userId }, (tx) => tx`
      select app.has_permission(${orgId}, 'organization', 'read') as allowed`);
    expect(row?.allowed).toBe(false);
  });
});
