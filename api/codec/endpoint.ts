/*
 * Temporal's remote codec endpoint for operators (`/api/v1/codec/decode` and `/encode`). A
 * member allowed to read executions of an organization sees that organization's payloads
 * decoded; payloads under the platform key (failures, results naming no organization) only
 * platform operators (FLOWLINE_PLATFORM_OPERATORS). Everything else is answered still
 * encrypted; without a valid Flowline access token, 401.
 *
 * The token comes as `Authorization: Bearer <token>` (the CLI, scripts), or in the codec session
 * cookie: the Temporal Web UI sends an Authorization header only with an https endpoint and
 * only the token of its own sign-in (none on the dev server), but with "Include cross-origin
 * credentials" it sends this API's cookies. `POST /api/v1/codec/session` with a bearer token
 * sets that cookie (HttpOnly, SameSite=Strict, as long as the token lives); `DELETE` removes it.
 */
import { type Request, type Response, Router } from 'express';
import type { OrgPayloadCodec } from '../../codec/payload-codec';
import { PLATFORM_SCOPE } from '../../codec/keys';
import { problem, remoteCodecRouter } from '../../codec/remote';
import type { Sql } from '../../db/client';
import { can, type CustomPermissions, type Role } from '../../db/rbac/matrix';
import { withClaims } from '../../db/tenant';
import { type AccessClaims, type AuthConfig, verifyAccessToken } from '../auth/tokens';

export interface CodecEndpointDeps {
  codec: OrgPayloadCodec;
  /** Origins of the Temporal Web UI (CORS). */
  allowedOrigins: readonly string[];
  /** Lower-cased emails of platform operators. */
  platformOperators: readonly string[];
}

/** The cookie holding an operator's access token for the Temporal UI's codec requests. */
export const CODEC_SESSION_COOKIE = 'flowline_codec_session';
const TOKEN = /^[A-Za-z0-9_.-]+$/;

function bearerOf(req: Request): string | undefined {
  return /^Bearer ([A-Za-z0-9_.-]+)$/.exec(req.get('authorization') ?? '')?.[1];
}

function sessionCookieOf(req: Request): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === CODEC_SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return TOKEN.test(value) ? value : undefined;
    }
  }
  return undefined;
}

export function codecEndpoint(deps: CodecEndpointDeps & { sql: Sql; auth: AuthConfig; namespace: string }): Router {
  const verify = (token: string | undefined): Promise<AccessClaims | null> =>
    token ? verifyAccessToken(deps.auth, token).catch(() => null) : Promise.resolve(null);

  async function authorize(req: Request): Promise<((scope: string) => boolean) | null> {
    // An Authorization header wins; a bad one is not rescued by the cookie.
    const header = req.get('authorization');
    const claims = await verify(header !== undefined ? bearerOf(req) : sessionCookieOf(req));
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

  const cookieOptions = (req: Request) => ({ httpOnly: true, sameSite: 'strict' as const, secure: req.secure, path: req.baseUrl || '/' });
  const router = Router();
  // First: its CORS answers (and preflights) cover the session routes below too.
  router.use(remoteCodecRouter({ codec: deps.codec, namespace: deps.namespace, allowedOrigins: deps.allowedOrigins, authorize }));
  router.post('/session', async (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    // Only a bearer token opens a session: a cookie cannot renew itself, and no other site can
    // make a browser send this header.
    const token = bearerOf(req);
    const claims = await verify(token);
    if (!token || !claims || typeof claims.exp !== 'number') {
      res.setHeader('WWW-Authenticate', 'Bearer');
      problem(res, 401, 'Unauthorized', 'Send Authorization: Bearer <access token> (POST /api/v1/auth/login)');
      return;
    }
    const maxAge = claims.exp * 1000 - Date.now();
    res.cookie(CODEC_SESSION_COOKIE, token, { ...cookieOptions(req), maxAge });
    res.status(204).end();
  });
  router.delete('/session', (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    res.clearCookie(CODEC_SESSION_COOKIE, cookieOptions(req));
    res.status(204).end();
  });
  return router;
}
