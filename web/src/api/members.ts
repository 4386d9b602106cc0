import { api } from './client';
import { orgPath } from './orgs';
import type { AssignableRole, Invitation, Member } from './types';

export async function listMembers(orgId: string, signal?: AbortSignal): Promise<Member[]> {
  return (await api<{ items: Member[] }>('GET', `${orgPath(orgId)}/members`, { signal })).items;
}

export function inviteMember(orgId: string, email: string, role: AssignableRole): Promise<{ invitation: Invitation; acceptUrl: string }> {
  return api('POST', `${orgPath(orgId)}/members`, { body: { email, role } });
}

export async function listInvitations(orgId: string, signal?: AbortSignal): Promise<Invitation[]> {
  return (await api<{ items: Invitation[] }>('GET', `${orgPath(orgId)}/invitations`, { signal })).items;
}

export function revokeInvitation(orgId: string, invitationId: string): Promise<void> {
  return api('DELETE', `${orgPath(orgId)}/invitations/${encodeURIComponent(invitationId)}`);
}

export function updateMember(orgId: string, memberId: string, changes: { role?: AssignableRole; status?: 'active' | 'suspended' }): Promise<Member> {
  return api('PATCH', `${orgPath(orgId)}/members/${encodeURIComponent(memberId)}`, { body: changes });
}

export function removeMember(orgId: string, memberId: string): Promise<void> {
  return api('DELETE', `${orgPath(orgId)}/members/${encodeURIComponent(memberId)}`);
}

export async function transferOwnership(orgId: string, memberId: string): Promise<Member[]> {
  return (await api<{ items: Member[] }>('POST', `${orgPath(orgId)}/transfer-ownership`, { body: { memberId } })).items;
}
