import { listTeamMembers } from '../api/team-members';
import type { Membership } from '../api/types';
import { may } from '../permissions';
import { useLoad } from '../use-load';

// A team is small: one page covers it; beyond that, ids show as they are.
const TEAM_PAGE = 200;

/** Team member names by GHL user id, for "assigned to"; empty for members who may not see the team. */
export function useTeamNames(orgId: string, membership: Membership): ReadonlyMap<string, string> {
  const allowed = may(membership, 'team_members', 'read');
  const team = useLoad((signal) => (allowed ? listTeamMembers(orgId, { limit: TEAM_PAGE }, signal) : Promise.resolve(undefined)), [orgId, allowed]);
  const names = new Map<string, string>();
  for (const m of team.data?.items ?? []) if (m.externalId) names.set(m.externalId, m.fullName);
  return names;
}

export function assignedLabel(names: ReadonlyMap<string, string>, ghlUserId: string | null): string {
  if (!ghlUserId) return '—';
  return names.get(ghlUserId) ?? ghlUserId;
}
