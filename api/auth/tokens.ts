import { createHash, randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

export interface AuthConfig {
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  loginRateLimit: { windowSeconds: number; perIp: number; perEmail: number };
}

/** What a verified access token tells us. */
export interface AccessClaims {
  sub: string;
  email?: string;
  role: 'authenticated';
  [claim: string]: unknown;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  tokenType: 'bearer';
  expiresIn: number;
  expiresAt: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Supabase's shape: aud "authenticated", role "authenticated", sub = auth.users.id.
const AUDIENCE = 'authenticated';

const keyCache = new WeakMap<AuthConfig, Uint8Array>();
function key(config: AuthConfig): Uint8Array {
  let k = keyCache.get(config);
  if (!k) keyCache.set(config, (k = new TextEncoder().encode(config.jwtSecret)));
  return k;
}

export async function signAccessToken(
  config: AuthConfig,
  user: { id: string; email: string },
  sessionId: string,
): Promise<{ token: string; expiresAt: number }> {
  const now = Math.floor(Date.now() / 1000);
  const expiresAt = now + config.accessTokenTtlSeconds;
  const token = await new SignJWT({ email: user.email, role: 'authenticated', session_id: sessionId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user.id)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(expiresAt)
    .sign(key(config));
  return { token, expiresAt };
}

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

/** Only HS256 with our secret, unexpired, for the authenticated audience and role. */
export async function verifyAccessToken(config: AuthConfig, token: string): Promise<AccessClaims> {
  try {
    const { payload } = await jwtVerify(token, key(config), { algorithms: ['HS256'], audience: AUDIENCE, requiredClaims: ['exp', 'sub'] });
    if (payload.role !== 'authenticated' || typeof payload.sub !== 'string' || !UUID.test(payload.sub)) {
      throw new InvalidTokenError('token is not a user access token');
    }
    return payload as AccessClaims;
  } catch (err) {
    if (err instanceof InvalidTokenError) throw err;
    if (err instanceof errors.JWTExpired) throw new InvalidTokenError('token expired');
    throw new InvalidTokenError('invalid token');
  }
}

/** Opaque refresh tokens and invitation tokens: 256 random bits; only their hash is stored. */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
