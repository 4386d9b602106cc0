import type { Tx } from '../../db/tenant';
import { HttpError } from '../http/errors';
import { type AuthConfig, hashOpaqueToken, newOpaqueToken, type Session, signAccessToken } from './tokens';

function refreshExpiry(config: AuthConfig): Date {
  return new Date(Date.now() + config.refreshTokenTtlSeconds * 1000);
}

async function session(config: AuthConfig, user: { id: string; email: string }, sessionId: string, refreshToken: string): Promise<Session> {
  const access = await signAccessToken(config, user, sessionId);
  return {
    accessToken: access.token,
    refreshToken,
    tokenType: 'bearer',
    expiresIn: config.accessTokenTtlSeconds,
    expiresAt: access.expiresAt,
  };
}

/** A new session (refresh token family) for a user who just proved who they are. */
export async function openSession(tx: Tx, config: AuthConfig, user: { id: string; email: string }): Promise<Session> {
  const refreshToken = newOpaqueToken();
  const [row] = await tx<{ id: string }[]>`
    select app.start_session(${user.id}, ${hashOpaqueToken(refreshToken)}, ${refreshExpiry(config)}) as id`;
  return session(config, user, row!.id, refreshToken);
}

/**
 * Rotates a refresh token. Reuse of a rotated token revokes the session (it has leaked). The
 * refusal is returned, not thrown, so the revocation commits with the caller's transaction.
 */
export async function refreshSession(tx: Tx, config: AuthConfig, refreshToken: string): Promise<Session | HttpError> {
  const next = newOpaqueToken();
  const [row] = await tx<{ outcome: string; user_id: string; email: string | null; session_id: string }[]>`
    select * from app.rotate_refresh_token(${hashOpaqueToken(refreshToken)}, ${hashOpaqueToken(next)}, ${refreshExpiry(config)})`;
  if (!row) return new HttpError(401, 'Unknown refresh token');
  if (row.outcome === 'reused') return new HttpError(401, 'This refresh token was already used: the session has been revoked, sign in again');
  if (row.outcome === 'expired') return new HttpError(401, 'Refresh token expired: sign in again');
  return session(config, { id: row.user_id, email: row.email ?? '' }, row.session_id, next);
}
