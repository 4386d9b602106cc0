import { api } from './client';
import { orgPath } from './orgs';
import type { Page, TeamMember, TeamMemberInput } from './types';

const base = (orgId: string) => `${orgPath(orgId)}/team-members`;

/** Live members, or with `deleted` the trash (members restorable until their `restorableUntil`). */
export function listTeamMembers(orgId: string, params: { q?: string; deleted?: boolean; cursor?: string; limit?: number }, signal?: AbortSignal): Promise<Page<TeamMember>> {
  const { deleted, ...rest } = params;
  return api('GET', base(orgId), { query: { ...rest, deleted: deleted ? 'true' : undefined }, signal });
}

export function createTeamMember(orgId: string, input: TeamMemberInput): Promise<TeamMember> {
  return api('POST', base(orgId), { body: input });
}

export function updateTeamMember(orgId: string, id: string, changes: TeamMemberInput): Promise<TeamMember> {
  return api('PATCH', `${base(orgId)}/${encodeURIComponent(id)}`, { body: changes });
}

export function deleteTeamMember(orgId: string, id: string): Promise<void> {
  return api('DELETE', `${base(orgId)}/${encodeURIComponent(id)}`);
}

export function restoreTeamMember(orgId: string, id: string): Promise<TeamMember> {
  return api('POST', `${base(orgId)}/${encodeURIComponent(id)}/restore`);
}
