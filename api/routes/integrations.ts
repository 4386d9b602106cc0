import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { can } from '../../db/rbac/matrix';
import { type CredentialKeys, credentialKeys, type CredentialSealer } from '../../codec/credentials';
import type { KeyRing } from '../../db/secrets';
import { type Tx, withClaims } from '../../db/tenant';
import { withGhl } from '../../activities/integrations/ghl-access';
import { GhlError } from '../../activities/ghl';
import { HttpError } from '../http/errors';
import { ensureContactsSyncSchedule, removeContactsSyncSchedule, startContactsSync } from '../integrations/sync-schedule';
import { defineRoute, orgAccess, type RouteDef, type Services } from '../http/route';
import type { GhlCredentials } from '../../activities/integrations/credentials';

export interface IntegrationRow {
  id: string;
  organization_id: string;
  provider: 'ghl';
  auth_type: 'private_token' | 'oauth';
  external_account_id: string;
  company_id: string | null;
  name: string;
  status: 'connected' | 'broken' | 'disconnected';
  status_detail: string | null;
  credentials_key_id: string;
  access_expires_at: Date | null;
  workflow_webhook_token: string;
  last_tested_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

// Every column but the sealed credentials, which members cannot select (column grants).
export const INTEGRATION_COLUMNS = [
  'id', 'organization_id', 'provider', 'auth_type', 'external_account_id', 'company_id', 'name', 'status', 'status_detail',
  'credentials_key_id', 'access_expires_at', 'workflow_webhook_token', 'last_tested_at', 'created_at', 'updated_at',
];

export const toIntegration = (r: IntegrationRow, canEdit: boolean) => ({
  id: r.id,
  provider: r.provider,
  authType: r.auth_type,
  locationId: r.external_account_id,
  companyId: r.company_id,
  name: r.name,
  status: r.status,
  statusDetail: r.status_detail,
  keyId: r.credentials_key_id,
  accessExpiresAt: r.access_expires_at?.toISOString() ?? null,
  lastTestedAt: r.last_tested_at?.toISOString() ?? null,
  // The URL a GHL workflow's "Webhook" action posts to: a capability, shown to who may change it.
  workflowWebhookPath: canEdit ? `/api/v1/integrations/ghl/workflow-webhooks/${r.workflow_webhook_token}` : null,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export function keyRingOf(services: Services): KeyRing {
  if (!services.ghl.keyRing) throw new HttpError(503, 'Integrations are not available: FLOWLINE_ENCRYPTION_KEY is not set on the server');
  return services.ghl.keyRing;
}

/** The credential keys of this process: the organization's data keys, read with the app's pool as the worker. */
export function credentialsOf(services: Services): CredentialKeys {
  return credentialKeys(services.sql, keyRingOf(services));
}

/** A sealer for the organization's active data key, resolved before a transaction is opened. */
export function credentialSealer(services: Services, orgId: string): Promise<CredentialSealer> {
  return credentialsOf(services).sealer(orgId);
}

export async function loadIntegration(tx: Tx, orgId: string, id: string): Promise<IntegrationRow> {
  const [row] = await tx<IntegrationRow[]>`select ${tx(INTEGRATION_COLUMNS)} from public.integrations where id = ${id} and organization_id = ${orgId}`;
  if (!row) throw new HttpError(404, 'No such integration');
  return row;
}

const privateTokenBody = z.strictObject({
  locationId: z.string().trim().min(1).max(100),
  token: z.string().trim().min(10).max(4000),
  name: z.string().trim().max(200).optional(),
  /** The agency (company) id: needed to import the location's users as the team. */
  companyId: z.string().trim().min(1).max(100).optional(),
});
const replaceTokenBody = z.strictObject({ token: z.string().trim().min(10).max(4000) });
const patchBody = z
  .strictObject({ name: z.string().trim().max(200).optional(), companyId: z.string().trim().min(1).max(100).nullable().optional() })
  .refine((b) => Object.keys(b).length > 0, 'Send at least one field');

/** Stores a new GHL connection with its credentials sealed for this organization and row (with its data key). */
export async function insertIntegration(
  tx: Tx,
  sealer: CredentialSealer,
  req: { orgId: string; userId?: string; authType: 'private_token' | 'oauth'; locationId: string; companyId?: string; name: string; credentials: GhlCredentials; expiresAt?: Date },
): Promise<IntegrationRow> {
  const id = randomUUID();
  const sealed = sealer.seal(id, req.credentials);
  const [row] = await tx<IntegrationRow[]>`
    insert into public.integrations (id, organization_id, provider, auth_type, external_account_id, company_id, name, credentials, credentials_key_id, access_expires_at, created_by)
    values (${id}, ${req.orgId}, 'ghl', ${req.authType}, ${req.locationId}, ${req.companyId ?? null}, ${req.name}, ${sealed.envelope}, ${sealed.keyId}, ${req.expiresAt ?? null}, ${req.userId ?? null})
    returning ${tx(INTEGRATION_COLUMNS)}`;
  return row!;
}

export const integrationRoutes: RouteDef[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/integrations',
    summary: 'Connected GoHighLevel locations and their status (credentials are never returned)',
    tags: ['integrations'],
    access: orgAccess('integrations', 'read'),
    async handler({ params, member, asUser, services }) {
      const rows = await asUser((tx) => tx<IntegrationRow[]>`
        select ${tx(INTEGRATION_COLUMNS)} from public.integrations where organization_id = ${params.orgId!} order by created_at`);
      const canEdit = can(member!.role, 'integrations', 'update', member!.customPermissions);
      return {
        items: rows.map((r) => toIntegration(r, canEdit)),
        // What the connect panel may offer on this server.
        oauth: services.ghl.oauth ? { available: true, reason: null } : { available: false, reason: 'GHL_OAUTH_CLIENT_ID and GHL_OAUTH_CLIENT_SECRET are not set on the server' },
        encryption: services.ghl.keyRing ? { available: true, reason: null } : { available: false, reason: 'FLOWLINE_ENCRYPTION_KEY is not set on the server' },
        // The server's sandbox location, if it runs one (never its token).
        sandbox: services.ghl.sandbox ? { locationId: services.ghl.sandbox.locationId, companyId: services.ghl.sandbox.companyId ?? null } : null,
      };
    },
  }),
  defineRoute<z.infer<typeof privateTokenBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/integrations/ghl/private-token',
    summary: 'Connect a GoHighLevel location with a Private Integration Token (sealed at rest)',
    tags: ['integrations'],
    access: orgAccess('integrations', 'create'),
    body: privateTokenBody,
    status: 201,
    errors: { 409: 'The location is already connected (to this or another organization)', 503: 'No encryption key is configured' },
    async handler({ params, body, user, asUser, services }) {
      const sealer = await credentialSealer(services, params.orgId!);
      const row = await asUser((tx) =>
        insertIntegration(tx, sealer, {
          orgId: params.orgId!,
          userId: user!.id,
          authType: 'private_token',
          locationId: body.locationId,
          companyId: body.companyId,
          name: body.name ?? '',
          credentials: { kind: 'private_token', accessToken: body.token },
        }).then(async (created) => {
          // Inside the transaction: if Temporal refuses the schedule, nothing is connected.
          await afterConnect(services, params.orgId!, created.id);
          return created;
        }),
      );
      return toIntegration(row, true);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/orgs/:orgId/integrations/ghl/sandbox',
    summary: "Connect the server's sandbox location (a fake GHL in development) without typing its token",
    tags: ['integrations'],
    access: orgAccess('integrations', 'create'),
    status: 201,
    errors: { 404: 'This server runs no sandbox location', 409: 'The sandbox location is already connected' },
    async handler({ params, user, asUser, services }) {
      const sandbox = services.ghl.sandbox;
      if (!sandbox) throw new HttpError(404, 'This server runs no sandbox location');
      const sealer = await credentialSealer(services, params.orgId!);
      const row = await asUser((tx) =>
        insertIntegration(tx, sealer, {
          orgId: params.orgId!,
          userId: user!.id,
          authType: 'private_token',
          locationId: sandbox.locationId,
          companyId: sandbox.companyId,
          name: 'Sandbox location',
          credentials: { kind: 'private_token', accessToken: sandbox.token },
        }).then(async (created) => {
          await afterConnect(services, params.orgId!, created.id);
          return created;
        }),
      );
      return toIntegration(row, true);
    },
  }),
  defineRoute<z.infer<typeof replaceTokenBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/integrations/:integrationId/private-token',
    summary: 'Replace the Private Integration Token of a location (e.g. after GHL revoked the old one); the webhook URL stays',
    tags: ['integrations'],
    access: orgAccess('integrations', 'update'),
    body: replaceTokenBody,
    async handler({ params, body, asUser, services }) {
      const sealer = await credentialSealer(services, params.orgId!);
      const row = await asUser(async (tx) => {
        const current = await loadIntegration(tx, params.orgId!, params.integrationId!);
        const sealed = sealer.seal(current.id, { kind: 'private_token', accessToken: body.token } satisfies GhlCredentials);
        await tx`update public.integrations set auth_type = 'private_token', credentials = ${sealed.envelope}, credentials_key_id = ${sealed.keyId},
          access_expires_at = null, status = 'connected', status_detail = null where id = ${current.id} and organization_id = ${params.orgId!}`;
        return loadIntegration(tx, params.orgId!, current.id);
      });
      return toIntegration(row, true);
    },
  }),
  defineRoute<z.infer<typeof patchBody>>({
    method: 'patch',
    path: '/api/v1/orgs/:orgId/integrations/:integrationId',
    summary: "Rename an integration or set its location's company (agency) id",
    tags: ['integrations'],
    access: orgAccess('integrations', 'update'),
    body: patchBody,
    async handler({ params, body, asUser }) {
      const row = await asUser(async (tx) => {
        const current = await loadIntegration(tx, params.orgId!, params.integrationId!);
        await tx`update public.integrations set name = ${body.name ?? current.name},
          company_id = ${body.companyId === undefined ? current.company_id : body.companyId}
          where id = ${current.id} and organization_id = ${params.orgId!}`;
        return loadIntegration(tx, params.orgId!, current.id);
      });
      return toIntegration(row, true);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/orgs/:orgId/integrations/:integrationId/test',
    summary: "Test the connection: one cheap call to GHL with the stored credentials; the integration's status follows the answer",
    tags: ['integrations'],
    access: orgAccess('integrations', 'update'),
    async handler({ params, asUser, services }) {
      keyRingOf(services);
      await asUser((tx) => loadIntegration(tx, params.orgId!, params.integrationId!));
      let ok = true;
      let detail: string | null = null;
      try {
        await withGhl(services.sql, services.ghl, params.orgId!, params.integrationId!, (ghl) => ghl.client.contacts.search({ pageLimit: 1 }));
      } catch (err) {
        ok = false;
        detail = err instanceof GhlError ? `GoHighLevel answered ${err.status}: ${err.message}` : (err as Error).message;
      }
      const row = await withClaims(services.sql, { role: 'worker', org_id: params.orgId! }, async (tx) => {
        await tx`update public.integrations set last_tested_at = now(),
          status = ${ok ? 'connected' : 'broken'}, status_detail = ${ok ? null : detail}
          where id = ${params.integrationId!} and organization_id = ${params.orgId!}`;
        return loadIntegration(tx, params.orgId!, params.integrationId!);
      });
      return { ok, detail, integration: toIntegration(row, true) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/orgs/:orgId/integrations/:integrationId/sync-contacts',
    summary: "Reconcile contacts with GHL now (it also runs every 6 hours): fixes what missed webhooks left out",
    tags: ['integrations'],
    access: orgAccess('contacts', 'update'),
    status: 202,
    async handler({ params, services }) {
      // Who may update contacts may sync them without seeing the integration itself (sales).
      await withClaims(services.sql, { role: 'worker', org_id: params.orgId! }, (tx) => loadIntegration(tx, params.orgId!, params.integrationId!));
      return { workflowId: await startContactsSync(services, params.orgId!, params.integrationId!) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/orgs/:orgId/integrations/:integrationId',
    summary: 'Disconnect a location: its credentials are deleted; synced contacts stay',
    tags: ['integrations'],
    access: orgAccess('integrations', 'delete'),
    async handler({ params, asUser, services }) {
      await asUser(async (tx) => {
        const rows = await tx`delete from public.integrations where id = ${params.integrationId!} and organization_id = ${params.orgId!} returning id`;
        if (rows.length === 0) throw new HttpError(404, 'No such integration');
        await removeContactsSyncSchedule(services, params.orgId!, params.integrationId!);
      });
      return undefined;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/orgs/:orgId/integrations/:integrationId/rotate',
    summary: "Re-seal the credentials with the current key: the organization's active data key, or for credentials still sealed by the master key, the server's current master key",
    tags: ['integrations'],
    access: orgAccess('integrations', 'update'),
    async handler({ params, services }) {
      const keys = credentialsOf(services);
      // Members cannot read sealed credentials: the re-seal runs for the organization.
      const row = await withClaims(services.sql, { role: 'worker', org_id: params.orgId! }, async (tx) => {
        const [current] = await tx<{ credentials: string }[]>`
          select credentials from public.integrations where id = ${params.integrationId!} and organization_id = ${params.orgId!} for no key update`;
        if (!current) throw new HttpError(404, 'No such integration');
        const next = await keys.reseal(params.orgId!, params.integrationId!, current.credentials);
        if (next) {
          await tx`update public.integrations set credentials = ${next.envelope}, credentials_key_id = ${next.keyId}
            where id = ${params.integrationId!} and organization_id = ${params.orgId!}`;
        }
        return loadIntegration(tx, params.orgId!, params.integrationId!);
      });
      return toIntegration(row, true);
    },
  }),
];

/** A new connection syncs its contacts now, then every few hours (a Temporal Schedule). */
export async function afterConnect(services: Services, orgId: string, integrationId: string): Promise<void> {
  await ensureContactsSyncSchedule(services, orgId, integrationId);
  await startContactsSync(services, orgId, integrationId);
}

/** The sealed credentials of an integration, opened (server side only; never sent to a client). */
export async function openCredentials(tx: Tx, keys: CredentialKeys, orgId: string, integrationId: string): Promise<GhlCredentials> {
  const [row] = await tx<{ credentials: string }[]>`
    select credentials from public.integrations where id = ${integrationId} and organization_id = ${orgId}`;
  if (!row) throw new HttpError(404, 'No such integration');
  return keys.open<GhlCredentials>(orgId, integrationId, row.credentials);
}
