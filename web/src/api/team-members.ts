import { api } from './client';
import { orgPath } from './orgs';
import type { Page, TeamMember, TeamMemberInput } from './types';

const base = (orgId: string) => `${orgPath(orgId)}/team-members`;

export function listTeamMembers(orgId: string, params: { q?: string; cursor?: string; limit?: number }, signal?: AbortSignal): Promise<Page<TeamMember>> {
  return api('GET', base(orgId), { query: params, signal });
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
