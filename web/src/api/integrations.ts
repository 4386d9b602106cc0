// GoHighLevel connections as the web app reads them (api/routes/integrations.ts holds the zod
// schemas that are the source of truth). Credentials never leave the server.
import { api } from './client';
import { orgPath } from './orgs';

export type IntegrationStatus = 'connected' | 'broken' | 'disconnected';
export type AuthType = 'private_token' | 'oauth';

export interface Integration {
  id: string;
  provider: 'ghl';
  authType: AuthType;
  /** The GHL location (sub-account) id. */
  locationId: string;
  /** The agency (company) id; team import needs it. */
  companyId: string | null;
  name: string;
  status: IntegrationStatus;
  /** Why it is broken (a revoked token, a refused refresh), in words the org can act on. */
  statusDetail: string | null;
  /** Which encryption key sealed the credentials. */
  keyId: string;
  accessExpiresAt: string | null;
  lastTestedAt: string | null;
  /** Where a GHL workflow's "Webhook" action posts; null for members who may not change the integration. */
  workflowWebhookPath: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TestResult {
  ok: boolean;
  integration: Integration;
  location?: { id: string; name: string };
}

export interface TeamImportChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface TeamImportItem {
  ghlUserId: string;
  name: string;
  email: string | null;
  action: 'create' | 'update' | 'unchanged';
  teamMemberId: string | null;
  changes: TeamImportChange[];
}

export interface TeamImportResult {
  created: number;
  updated: number;
  unchanged: number;
}

const base = (orgId: string) => `${orgPath(orgId)}/integrations`;
const one = (orgId: string, id: string) => `${base(orgId)}/${encodeURIComponent(id)}`;

export interface Availability {
  available: boolean;
  reason: string | null;
}

export interface IntegrationList {
  items: Integration[];
  /** Whether this server has a GHL OAuth app configured. */
  oauth: Availability;
  /** Whether this server can seal credentials (FLOWLINE_ENCRYPTION_KEY). */
  encryption: Availability;
  /** A sandbox location this server offers (a fake GHL in development). */
  sandbox: { locationId: string; companyId: string | null } | null;
}

export function listIntegrations(orgId: string, signal?: AbortSignal): Promise<IntegrationList> {
  return api('GET', base(orgId), { signal });
}

export function connectPrivateToken(orgId: string, input: { locationId: string; token: string; name?: string; companyId?: string }): Promise<Integration> {
  return api('POST', `${base(orgId)}/ghl/private-token`, { body: input });
}

export function connectSandbox(orgId: string): Promise<Integration> {
  return api('POST', `${base(orgId)}/ghl/sandbox`);
}

/** GHL's consent page for this organization; a 503 problem when the server has no OAuth app configured. */
export function startOAuth(orgId: string, signal?: AbortSignal): Promise<{ url: string }> {
  return api('GET', `${base(orgId)}/ghl/oauth/start`, { signal });
}

export function testIntegration(orgId: string, id: string): Promise<TestResult> {
  return api('POST', `${one(orgId, id)}/test`);
}

export function rotateIntegration(orgId: string, id: string): Promise<Integration> {
  return api('POST', `${one(orgId, id)}/rotate`);
}

export function disconnectIntegration(orgId: string, id: string): Promise<void> {
  return api('DELETE', one(orgId, id));
}

export function previewTeamImport(orgId: string, id: string, signal?: AbortSignal): Promise<{ items: TeamImportItem[] }> {
  return api('GET', `${one(orgId, id)}/team-import`, { signal });
}

export function runTeamImport(orgId: string, id: string): Promise<TeamImportResult> {
  return api('POST', `${one(orgId, id)}/team-import`);
}

export function syncContacts(orgId: string, id: string): Promise<{ workflowId: string }> {
  return api('POST', `${one(orgId, id)}/sync-contacts`);
}
