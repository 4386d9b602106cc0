import type { Action, Resource } from '../../../db/rbac/matrix';

/** The pages of an organization: `/orgs/:orgId/<path>`, shown to who may read what they list. */
export const SECTIONS = [
  { path: 'workflows', label: 'Workflows', needs: ['workflows', 'read'] },
  { path: 'settings', label: 'Settings', needs: ['organization', 'read'] },
  { path: 'members', label: 'Members', needs: ['members', 'read'] },
  { path: 'team-members', label: 'Team', needs: ['team_members', 'read'] },
  { path: 'audit-log', label: 'Audit log', needs: ['audit_log', 'read'] },
  { path: 'executions', label: 'Executions', needs: ['executions', 'read'] },
  { path: 'approvals', label: 'Approvals', needs: ['executions', 'approve'] },
  { path: 'contacts', label: 'Contacts', needs: ['contacts', 'read'] },
  { path: 'integrations', label: 'Integrations', needs: ['integrations', 'read'] },
] as const satisfies readonly { path: string; label: string; needs: readonly [Resource, Action] }[];

export type SectionPath = (typeof SECTIONS)[number]['path'];
