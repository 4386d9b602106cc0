import { randomBytes, randomUUID } from 'node:crypto';

/*
 * Who may call the fake: the location's Private Integration Token, and OAuth access tokens the
 * fake issued. Refresh tokens rotate (each refresh answers a new one and the old one is refused
 * from then on), authorization codes are single-use, and tests can revoke or expire any token.
 */
export interface AccessGrant {
  locationId: string;
  kind: 'private' | 'oauth';
  expiresAt: number | null;
  revoked: boolean;
}

export interface TokenStore {
  readonly privateToken: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly companyId: string;
  accessTokenTtlSeconds: number;
  /** The grant of a bearer token, with why it is refused if it is. */
  check(token: string): { grant: AccessGrant } | { refused: string };
  issueCode(redirectUri: string): string;
  exchangeCode(code: string, redirectUri: string | undefined): TokenSet | { refused: string };
  refresh(refreshToken: string): TokenSet | { refused: string };
  revoke(token: string): void;
  expire(token: string): void;
}

export interface TokenSet {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
  userType: 'Location';
  locationId: string;
  companyId: string;
  userId: string;
  isBulkInstallation: boolean;
}

export const SCOPES = [
  'contacts.readonly',
  'contacts.write',
  'opportunities.readonly',
  'opportunities.write',
  'calendars.readonly',
  'calendars/events.write',
  'conversations/message.write',
  'users.readonly',
  'payments/orders.readonly',
  'payments/transactions.readonly',
  'invoices.readonly',
].join(' ');

const opaque = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;

export function createTokenStore(locationId: string, companyId: string, installerUserId: string): TokenStore {
  const privateToken = `pit-${randomUUID()}`;
  const access = new Map<string, AccessGrant>([[privateToken, { locationId, kind: 'private', expiresAt: null, revoked: false }]]);
  const refreshTokens = new Map<string, { active: boolean }>();
  const codes = new Map<string, { redirectUri: string; used: boolean; expiresAt: number }>();

  const store: TokenStore = {
    privateToken,
    clientId: `${randomBytes(12).toString('hex')}-${randomBytes(4).toString('hex')}`,
    clientSecret: randomUUID(),
    companyId,
    accessTokenTtlSeconds: 86_399,
    check(token) {
      const grant = access.get(token);
      if (!grant || grant.revoked) return { refused: 'Invalid token: access token is invalid' };
      if (grant.expiresAt !== null && grant.expiresAt <= Date.now()) return { refused: 'Invalid JWT' };
      return { grant };
    },
    issueCode(redirectUri) {
      const code = randomBytes(20).toString('hex');
      codes.set(code, { redirectUri, used: false, expiresAt: Date.now() + 10 * 60_000 });
      return code;
    },
    exchangeCode(code, redirectUri) {
      const entry = codes.get(code);
      if (!entry || entry.used || entry.expiresAt <= Date.now()) return { refused: 'Invalid grant: authorization code is invalid' };
      if (redirectUri !== undefined && redirectUri !== entry.redirectUri) return { refused: 'Invalid grant: redirect_uri does not match' };
      entry.used = true;
      return issue();
    },
    refresh(token) {
      const entry = refreshTokens.get(token);
      if (!entry || !entry.active) return { refused: 'Invalid grant: refresh token is invalid' };
      entry.active = false;
      return issue();
    },
    revoke(token) {
      const grant = access.get(token);
      if (grant) grant.revoked = true;
      const r = refreshTokens.get(token);
      if (r) r.active = false;
    },
    expire(token) {
      const grant = access.get(token);
      if (grant) grant.expiresAt = Date.now() - 1;
    },
  };

  function issue(): TokenSet {
    const accessToken = opaque('ghl_at_');
    const refreshToken = opaque('ghl_rt_');
    access.set(accessToken, { locationId, kind: 'oauth', expiresAt: Date.now() + store.accessTokenTtlSeconds * 1000, revoked: false });
    refreshTokens.set(refreshToken, { active: true });
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: store.accessTokenTtlSeconds,
      refresh_token: refreshToken,
      scope: SCOPES,
      userType: 'Location',
      locationId,
      companyId,
      userId: installerUserId,
      isBulkInstallation: false,
    };
  }
  return store;
}
