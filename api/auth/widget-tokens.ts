/*
 * Visitor tokens of a bot's web-chat widget: who a site visitor is (a contact of the bot's
 * organization), for that bot and that widget key only. Signed like the app's access tokens
 * (HS256, the same secret) but for another audience, so neither is ever taken for the other.
 */
import { createHash } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { type AuthConfig, InvalidTokenError } from './tokens';

const AUDIENCE = 'widget-visitor';
/** A visitor comes back to the same conversation for this long (the widget stores the token). */
export const VISITOR_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

export interface VisitorClaims {
  contactId: string;
  orgId: string;
  botId: string;
}

/** A rotated key ends its visitors' tokens: the token names the key it was issued under (by hash). */
const keyTag = (widgetKey: string) => createHash('sha256').update(widgetKey).digest('base64url').slice(0, 22);
const secret = (config: AuthConfig) => new TextEncoder().encode(config.jwtSecret);

export async function signVisitorToken(config: AuthConfig, widgetKey: string, v: VisitorClaims): Promise<{ token: string; expiresAt: number }> {
  const now = Math.floor(Date.now() / 1000);
  const expiresAt = now + VISITOR_TOKEN_TTL_SECONDS;
  const token = await new SignJWT({ org: v.orgId, bot: v.botId, wk: keyTag(widgetKey) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(v.contactId)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(expiresAt)
    .sign(secret(config));
  return { token, expiresAt };
}

/** The visitor of a token issued for this widget key, bot and organization; InvalidTokenError otherwise. */
export async function verifyVisitorToken(config: AuthConfig, widgetKey: string, target: { orgId: string; botId: string }, token: string): Promise<VisitorClaims> {
  try {
    const { payload } = await jwtVerify(token, secret(config), { algorithms: ['HS256'], audience: AUDIENCE, requiredClaims: ['exp', 'sub'] });
    if (payload.wk !== keyTag(widgetKey) || payload.org !== target.orgId || payload.bot !== target.botId || typeof payload.sub !== 'string') {
      throw new InvalidTokenError('token is not for this widget');
    }
    return { contactId: payload.sub, orgId: target.orgId, botId: target.botId };
  } catch (err) {
    if (err instanceof InvalidTokenError) throw err;
    if (err instanceof errors.JWTExpired) throw new InvalidTokenError('token expired');
    throw new InvalidTokenError('invalid token');
  }
}
