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
  { path: 'commissions', label: 'Commissions', needs: ['commissions', 'read'] },
  { path: 'sales', label: 'Sales', needs: ['sales', 'read'] },
  { path: 'payouts', label: 'Payouts', needs: ['payouts', 'read'] },
  { path: 'earnings', label: 'My earnings', needs: ['commissions', 'read'] },
  { path: 'commission-plans', label: 'Commission plans', needs: ['commissions', 'read'] },
  { path: 'receipts', label: 'Receipts', needs: ['receipts', 'read'] },
  { path: 'bots', label: 'Bots', needs: ['bots', 'read'] },
  { path: 'handoffs', label: 'Handoffs', needs: ['conversations', 'read'] },
] as const satisfies readonly { path: string; label: string; needs: readonly [Resource, Action] }[];

export type SectionPath = (typeof SECTIONS)[number]['path'];
