import { z } from 'zod';
import { GhlError, parseGhlError } from './errors';
import { DEFAULT_GHL_BASE_URL } from './http';

/*
 * GHL's OAuth 2.0 token endpoint (POST /oauth/token, form-encoded). Refresh tokens rotate:
 * every refresh answers a new refresh token and the old one stops working, so the caller must
 * store the new one before using the new access token.
 */
export const tokenResponse = z.looseObject({
  access_token: z.string(),
  token_type: z.string().optional(),
  expires_in: z.number(),
  refresh_token: z.string(),
  scope: z.string().optional(),
  userType: z.string().optional(),
  locationId: z.string().optional(),
  companyId: z.string().optional(),
  approvedLocations: z.array(z.string()).optional(),
  userId: z.string().optional(),
  planId: z.string().optional(),
  isBulkInstallation: z.boolean().optional(),
});
export type GhlTokenResponse = z.output<typeof tokenResponse>;

interface Common {
  baseUrl?: string;
  clientId: string;
  clientSecret: string;
  userType?: 'Location' | 'Company';
  fetch?: typeof fetch;
}

async function tokenRequest(opts: Common, form: Record<string, string>): Promise<GhlTokenResponse> {
  const url = new URL('oauth/token', `${(opts.baseUrl ?? DEFAULT_GHL_BASE_URL).replace(/\/$/, '')}/`);
  const body = new URLSearchParams({ client_id: opts.clientId, client_secret: opts.clientSecret, user_type: opts.userType ?? 'Location', ...form });
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body,
    });
  } catch (err) {
    throw new GhlError('transient', 0, `GHL unreachable: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = await res.text();
  let json: unknown = text;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // keep the text: parseGhlError reports it
  }
  if (!res.ok) {
    const err = parseGhlError(res.status, json);
    // A refused grant (used, rotated or revoked refresh token) means the connection is broken.
    if (err.kind === 'validation' && /grant|token/i.test(err.message)) throw new GhlError('auth', err.status, err.message, undefined, json);
    throw err;
  }
  const parsed = tokenResponse.safeParse(json);
  if (!parsed.success) throw new GhlError('unknown', res.status, 'GHL token answer in an unexpected shape');
  return parsed.data;
}

export function exchangeCode(opts: Common & { code: string; redirectUri?: string }): Promise<GhlTokenResponse> {
  const form: Record<string, string> = { grant_type: 'authorization_code', code: opts.code };
  if (opts.redirectUri) form.redirect_uri = opts.redirectUri;
  return tokenRequest(opts, form);
}

export function refreshToken(opts: Common & { refreshToken: string }): Promise<GhlTokenResponse> {
  return tokenRequest(opts, { grant_type: 'refresh_token', refresh_token: opts.refreshToken });
}

/** The marketplace's install (choose location) URL for an app. */
export function installUrl(opts: { marketplaceUrl?: string; clientId: string; redirectUri: string; scopes: string[]; state?: string }): string {
  const url = new URL('oauth/chooselocation', `${(opts.marketplaceUrl ?? 'https://marketplace.gohighlevel.com').replace(/\/$/, '')}/`);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', opts.clientId);
  url.searchParams.set('redirect_uri', opts.redirectUri);
  url.searchParams.set('scope', opts.scopes.join(' '));
  if (opts.state) url.searchParams.set('state', opts.state);
  return url.toString();
}
