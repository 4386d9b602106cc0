import { type Action, can, type Permission, type Resource, ROLES } from '../../db/rbac/matrix';
import type { AssignableRole, Membership } from './api/types';

/**
 * Whether to offer an action. The API decides for real; this only hides what would be refused.
 * /me sends the effective permissions (custom grants and denies applied); the shared matrix
 * answers for a membership that came without them.
 */
export function may(membership: Pick<Membership, 'role' | 'permissions'>, resource: Resource, action: Action): boolean {
  const permission: Permission = `${resource}:${action}`;
  return Array.isArray(membership.permissions) ? membership.permissions.includes(permission) : can(membership.role, resource, action);
}

/** Roles an invitation or a role change can give: ownership moves only by a transfer. */
export function assignableRoles(membership: Pick<Membership, 'role'>): AssignableRole[] {
  const roles = ROLES.filter((r): r is AssignableRole => r !== 'owner');
  // Only owners and administrators hand out the administrator role (the API refuses others).
  const manager = membership.role === 'owner' || membership.role === 'administrator';
  return manager ? roles : roles.filter((r) => r !== 'administrator');
}

const ROLE_LABELS: Record<string, string> = {
  owner: 'Owner',
  administrator: 'Administrator',
  sales: 'Sales',
  bot_trainer: 'Bot trainer',
  viewer: 'Viewer',
};

export function roleLabel(role: string): string {
  return ROLE_LABELS[role] ?? role;
}
