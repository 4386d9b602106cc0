import { listTeamMembers } from '../api/team-members';
import type { Membership, TeamMember } from '../api/types';
import { useMe } from '../me';
import { may } from '../permissions';
import { useLoad } from '../use-load';

// A team is small: one page covers it (contacts' use-team-names makes the same bet).
const TEAM_PAGE = 200;

export interface Team {
  /** By name; empty for members who may not read the team. */
  members: TeamMember[];
  nameOf: (teamMemberId: string | null) => string;
  /** The team member linked to the signed-in user's login, if any. */
  ownId: string | undefined;
  loading: boolean;
}

/** The organization's team members, for pickers and for "is this my own commission". */
export function useTeam(orgId: string, membership: Membership): Team {
  const { me } = useMe();
  const allowed = may(membership, 'team_members', 'read');
  const team = useLoad((signal) => (allowed ? listTeamMembers(orgId, { limit: TEAM_PAGE }, signal) : Promise.resolve(undefined)), [orgId, allowed]);
  const members = [...(team.data?.items ?? [])].sort((a, b) => a.fullName.localeCompare(b.fullName));
  const byId = new Map(members.map((m) => [m.id, m.fullName]));
  const userId = me?.user.id;
  return {
    members,
    nameOf: (id) => (id ? (byId.get(id) ?? id) : 'Unattributed'),
    ownId: userId ? members.find((m) => m.userId === userId)?.id : undefined,
    loading: team.loading,
  };
}

/** A <select>'s options for team members, after whatever leading options the caller puts first. */
export function TeamOptions({ team }: { team: Pick<Team, 'members'> }) {
  return team.members.map((m) => (
    <option key={m.id} value={m.id}>
      {m.fullName}
    </option>
  ));
}
