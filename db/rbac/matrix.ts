/*
 * The RBAC matrix, written once. The SQL seed (db/seed/role_permissions.sql) is generated from
 * it (`node --import tsx db/rbac/generate-seed.ts`), a test proves the two agree for every
 * role x resource x action, and RLS policies ask the database copy. Pure: imported by the API,
 * the web app and the seed generator alike.
 */
export const ROLES = ['owner', 'administrator', 'sales', 'bot_trainer', 'viewer'] as const;
export const RESOURCES = [
  'organization', 'members', 'team_members', 'workflows', 'executions', 'bots', 'conversations',
  'contacts', 'integrations', 'sales', 'commissions', 'payouts', 'receipts', 'audit_log', 'billing',
] as const;
export const ACTIONS = ['create', 'read', 'update', 'delete', 'approve'] as const;

export type Role = (typeof ROLES)[number];
export type Resource = (typeof RESOURCES)[number];
export type Action = (typeof ACTIONS)[number];
export type Permission = `${Resource}:${Action}`;

const all = (resource: Resource): Permission[] => ACTIONS.map((a) => `${resource}:${a}` as const);
const read = (resource: Resource): Permission => `${resource}:read`;

const OWNER: Permission[] = RESOURCES.flatMap(all);

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  // Owners: everything.
  owner: new Set(OWNER),
  // Administrators: everything but billing (ownership transfer is owner-only in the API too).
  administrator: new Set(OWNER.filter((p) => !p.startsWith('billing:'))),
  // Sales: the organization, contacts they work with, their own sales and commissions (rows
  // are further narrowed to their own team member by the sales tables' policies).
  sales: new Set<Permission>([
    read('organization'), read('team_members'),
    'contacts:create', 'contacts:read', 'contacts:update',
    read('sales'), read('commissions'), 'receipts:create', read('receipts'),
  ]),
  // Bot trainers: bots (with their knowledge) and conversations.
  bot_trainer: new Set<Permission>([
    read('organization'), read('contacts'),
    ...all('bots').filter((p) => p !== 'bots:approve'),
    read('conversations'), 'conversations:update',
  ]),
  // Viewers: read-only, but not money settings nor the audit trail.
  viewer: new Set(RESOURCES.filter((r) => r !== 'billing' && r !== 'audit_log').map(read)),
};

/** Per-member overrides stored in organization_members.custom_permissions; deny wins. */
export interface CustomPermissions {
  grant?: Permission[];
  deny?: Permission[];
}

export function can(role: Role, resource: Resource, action: Action, custom?: CustomPermissions | null): boolean {
  const permission: Permission = `${resource}:${action}`;
  if (custom?.deny?.includes(permission)) return false;
  return ROLE_PERMISSIONS[role].has(permission) || Boolean(custom?.grant?.includes(permission));
}
