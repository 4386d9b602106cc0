import type { AuthType, Integration, IntegrationStatus } from '../api/integrations';

/** What a member calls a connection: its name, else its location. */
export function integrationLabel(i: Pick<Integration, 'name' | 'locationId'>): string {
  return i.name.trim() || `Location ${i.locationId}`;
}

const AUTH_TYPES: Record<AuthType, string> = { private_token: 'Private Integration Token', oauth: 'OAuth (marketplace app)' };
export const authTypeLabel = (t: AuthType): string => AUTH_TYPES[t] ?? t;

const STATUSES: Record<IntegrationStatus, string> = { connected: 'Connected', broken: 'Broken', disconnected: 'Disconnected' };
export const statusLabel = (s: IntegrationStatus): string => STATUSES[s] ?? s;

export const integrationsPath = (orgId: string) => `/orgs/${encodeURIComponent(orgId)}/integrations`;

/** The absolute URL to paste into a GHL workflow's "Webhook" action. */
export const webhookUrl = (path: string) => new URL(path, location.origin).toString();
