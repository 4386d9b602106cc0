import { ACTIONS, RESOURCES, ROLE_PERMISSIONS, ROLES } from './matrix';

/** The SQL seed for public.role_permissions, generated from the TypeScript matrix. */
export function rolePermissionsSeedSql(): string {
  const rows = ROLES.flatMap((role) =>
    RESOURCES.flatMap((resource) =>
      ACTIONS.filter((action) => ROLE_PERMISSIONS[role].has(`${resource}:${action}`)).map(
        (action) => `  ('${role}', '${resource}', '${action}')`,
      ),
    ),
  );
  return [
    '-- GENERATED from db/rbac/matrix.ts by `node --import tsx db/rbac/generate-seed.ts`. Do not edit.',
    '-- Applied after the migrations on every migrate, in one transaction: the table always equals the matrix.',
    'delete from public.role_permissions;',
    'insert into public.role_permissions (role, resource, action) values',
    `${rows.join(',\n')};`,
    '',
  ].join('\n');
}
