/*
 * Temporal's remote codec endpoint for operators (`/api/v1/codec/decode` and `/encode`): the
 * Temporal Web UI sends the payloads it shows, with the signed-in person's access token
 * (codec.passAccessToken). A member allowed to read executions of an organization sees that
 * organization's payloads decoded; payloads under the platform key (failures, results naming no
 * organization) only platform operators (FLOWLINE_PLATFORM_OPERATORS). Everything else is
 * answered still encrypted; without a valid token, 401.
 */
import type { Request, Router } from 'express';
import type { OrgPayloadCodec } from '../../codec/payload-codec';
import { PLATFORM_SCOPE } from '../../codec/keys';
import { remoteCodecRouter } from '../../codec/remote';
import type { Sql } from '../../db/client';
import { can, type CustomPermissions, type Role } from '../../db/rbac/matrix';
import { withClaims } from '../../db/tenant';
import { type AuthConfig, verifyAccessToken } from '../auth/tokens';

export interface CodecEndpointDeps {
  codec: OrgPayloadCodec;
  /** Origins of the Temporal Web UI (CORS). */
  allowedOrigins: readonly string[];
  /** Lower-cased emails of platform operators. */
  platformOperators: readonly string[];
}

export function codecEndpoint(deps: CodecEndpointDeps & { sql: Sql; auth: AuthConfig; namespace: string }): Router {
  async function authorize(req: Request): Promise<((scope: string) => boolean) | null> {
    const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(req.get('authorization') ?? '');
    if (!match) return null;
    const claims = await verifyAccessToken(deps.auth, match[1]!).catch(() => null);
    if (!claims) return null;
    // The caller's memberships, read with their own claims (RLS shows only their rows).
    const rows = await withClaims(deps.sql, { role: 'authenticated', sub: claims.sub, email: claims.email }, (tx) =>
      tx<{ organization_id: string; role: Role; custom_permissions: CustomPermissions }[]>`
        select organization_id, role, custom_permissions from public.organization_members where user_id = auth.uid() and status = 'active'`,
    );
    const orgs = new Set(rows.filter((r) => can(r.role, 'executions', 'read', r.custom_permissions)).map((r) => r.organization_id));
    const operator = Boolean(claims.email) && deps.platformOperators.includes(claims.email!.toLowerCase());
    return (scope) => (scope === PLATFORM_SCOPE ? operator : orgs.has(scope));
  }
  return remoteCodecRouter({ codec: deps.codec, namespace: deps.namespace, allowedOrigins: deps.allowedOrigins, authorize });
}
