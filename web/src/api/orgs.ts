import { api } from './client';
import type { Organization, Plan } from './types';

export const orgPath = (orgId: string) => `/orgs/${encodeURIComponent(orgId)}`;

export function getOrganization(orgId: string, signal?: AbortSignal): Promise<Organization> {
  return api<Organization>('GET', orgPath(orgId), { signal });
}

export function createOrganization(name: string): Promise<Organization> {
  return api<Organization>('POST', '/orgs', { body: { name } });
}

export interface OrganizationChanges {
  name?: string;
  settings?: Record<string, unknown>;
  subscriptionPlan?: Plan;
}

export function updateOrganization(orgId: string, changes: OrganizationChanges): Promise<Organization> {
  return api<Organization>('PATCH', orgPath(orgId), { body: changes });
}
