/*
 * A GHL client for an organization's connected location, from its sealed credentials (sealed
 * with the organization's data key, codec/credentials.ts; older ones by the master ring). OAuth
 * access tokens are refreshed shortly before they expire (and once after a 401); GHL rotates the
 * refresh token on every refresh, so the new one is stored in the same transaction that read the
 * old one, under a row lock: two workers never spend the same refresh token. A credential GHL
 * refuses marks the integration broken, with the reason, and fails without retrying.
 */
import { credentialKeys } from '../../codec/credentials';
import type { Sql } from '../../db/client';
import type { KeyRing } from '../../db/secrets';
import { type Tx, withClaims } from '../../db/tenant';
import { createGhlClient, type GhlClient, GhlError, refreshToken } from '../ghl';
import type { GhlCredentials } from './credentials';

export interface GhlAccessSettings {
  keyRing: KeyRing | undefined;
  baseUrl: string;
  oauth: { clientId: string; clientSecret: string } | undefined;
}

/** Refresh when less than this is left of the access token's life. */
const REFRESH_MARGIN_MS = 5 * 60_000;

interface IntegrationRow {
  id: string;
  external_account_id: string;
  status: string;
  credentials: string;
}

export class GhlNotConnected extends Error {
  override name = 'GhlNotConnected';
}

async function pickIntegration(tx: Tx, orgId: string, integrationId: string | undefined, lock: boolean): Promise<IntegrationRow> {
  const rows = await tx<IntegrationRow[]>`
    select id, external_account_id, status, credentials from public.integrations
    where organization_id = ${orgId} and provider = 'ghl' ${integrationId ? tx`and id = ${integrationId}` : tx``}
    order by created_at
    ${lock ? tx`for no key update` : tx``}`;
  if (rows.length === 0) throw new GhlNotConnected(integrationId ? 'No such GoHighLevel integration in this organization' : 'No GoHighLevel location is connected to this organization');
  if (!integrationId && rows.length > 1) throw new GhlNotConnected('Several GoHighLevel locations are connected: choose one (integrationId)');
  return rows[0]!;
}

export async function markBroken(sql: Sql, orgId: string, integrationId: string, detail: string): Promise<void> {
  await withClaims(sql, { role: 'worker', org_id: orgId }, (tx) => tx`
    update public.integrations set status = 'broken', status_detail = ${detail.slice(0, 2000)}
    where id = ${integrationId} and organization_id = ${orgId}`);
}

async function refreshed(sql: Sql, settings: GhlAccessSettings, orgId: string, integrationId: string, force: boolean): Promise<GhlCredentials> {
  const keys = credentialKeys(sql, settings.keyRing!);
  // The data key is read on a connection of its own: before this transaction holds one.
  const sealer = await keys.sealer(orgId);
  return withClaims(sql, { role: 'worker', org_id: orgId }, async (tx) => {
    const row = await pickIntegration(tx, orgId, integrationId, true);
    const creds = await keys.open<GhlCredentials>(orgId, row.id, row.credentials);
    if (creds.kind !== 'oauth') return creds;
    // Another worker may have refreshed while this one waited for the lock.
    if (!force && Date.parse(creds.expiresAt) - Date.now() > REFRESH_MARGIN_MS) return creds;
    if (!settings.oauth) throw new GhlNotConnected('This location was connected by OAuth, but GHL_OAUTH_CLIENT_ID/SECRET are not set');
    const token = await refreshToken({ baseUrl: settings.baseUrl, clientId: settings.oauth.clientId, clientSecret: settings.oauth.clientSecret, refreshToken: creds.refreshToken });
    const next: GhlCredentials = {
      kind: 'oauth',
      accessToken: token.access_token,
      refreshToken: token.refresh_token ?? creds.refreshToken,
      expiresAt: new Date(Date.now() + (token.expires_in ?? 86_399) * 1000).toISOString(),
      scope: token.scope ?? creds.scope,
      userType: token.userType ?? creds.userType,
    };
    const sealed = sealer.seal(row.id, next);
    await tx`update public.integrations set credentials = ${sealed.envelope}, credentials_key_id = ${sealed.keyId},
      access_expires_at = ${next.expiresAt}, status = 'connected', status_detail = null
      where id = ${row.id} and organization_id = ${orgId}`;
    return next;
  });
}

export interface GhlAccess {
  client: GhlClient;
  integrationId: string;
  locationId: string;
}

/**
 * The client for an organization's location (the only one, or `integrationId`). Calls made
 * through `withGhl` get one refresh-and-retry on a 401 for OAuth credentials and mark the
 * integration broken when GHL still refuses.
 */
export async function ghlAccess(sql: Sql, settings: GhlAccessSettings, orgId: string, integrationId?: string): Promise<GhlAccess> {
  if (!settings.keyRing) throw new GhlNotConnected('FLOWLINE_ENCRYPTION_KEY is not set: GHL credentials cannot be opened');
  const row = await withClaims(sql, { role: 'worker', org_id: orgId }, (tx) => pickIntegration(tx, orgId, integrationId, false));
  if (row.status === 'disconnected') throw new GhlNotConnected('The GoHighLevel integration is disconnected');
  let creds = await credentialKeys(sql, settings.keyRing).open<GhlCredentials>(orgId, row.id, row.credentials);
  if (creds.kind === 'oauth' && Date.parse(creds.expiresAt) - Date.now() <= REFRESH_MARGIN_MS) creds = await refreshed(sql, settings, orgId, row.id, false);
  return { client: createGhlClient({ baseUrl: settings.baseUrl, accessToken: creds.accessToken, locationId: row.external_account_id }), integrationId: row.id, locationId: row.external_account_id };
}

export async function withGhl<T>(sql: Sql, settings: GhlAccessSettings, orgId: string, integrationId: string | undefined, fn: (access: GhlAccess) => Promise<T>): Promise<T> {
  let access = await ghlAccess(sql, settings, orgId, integrationId);
  try {
    return await fn(access);
  } catch (err) {
    if (!(err instanceof GhlError) || err.kind !== 'auth') throw err;
    const creds = await refreshed(sql, settings, orgId, access.integrationId, true).catch((refreshError: unknown) => {
      if (refreshError instanceof GhlError && refreshError.kind === 'auth') return undefined;
      throw refreshError;
    });
    if (!creds || creds.kind !== 'oauth') {
      await markBroken(sql, orgId, access.integrationId, `GoHighLevel refused the credentials (${err.message}): reconnect the location.`);
      throw err;
    }
    access = { ...access, client: createGhlClient({ baseUrl: settings.baseUrl, accessToken: creds.accessToken, locationId: access.locationId }) };
    try {
      return await fn(access);
    } catch (second) {
      if (second instanceof GhlError && second.kind === 'auth') {
        await markBroken(sql, orgId, access.integrationId, `GoHighLevel refused the credentials (${second.message}): reconnect the location.`);
      }
      throw second;
    }
  }
}
