/*
 * Connecting a location through GHL's marketplace OAuth: the member asks for the install URL,
 * GHL sends the browser back to the callback with a code, and the callback exchanges it for
 * tokens (sealed at once) and returns the browser to the integrations page. The `state` is a
 * short-lived token signed with the API's secret naming the organization and the member, so a
 * callback cannot be replayed into another organization.
 */
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { GhlCredentials } from '../../activities/integrations/credentials';
import { exchangeCode, GhlError, installUrl } from '../../activities/ghl';
import { withClaims } from '../../db/tenant';
import type { AuthConfig } from '../auth/tokens';
import { HttpError } from '../http/errors';
import { defineRoute, orgAccess, publicAccess, type RouteDef, type Services } from '../http/route';
import { afterConnect, credentialSealer, insertIntegration, keyRingOf, loadIntegration } from './integrations';

const CALLBACK_PATH = '/api/v1/integrations/ghl/oauth/callback';
const STATE_AUDIENCE = 'flowline:ghl-oauth';
const STATE_TTL = '10m';
// What Flowline does with a location: sync contacts, act in flows, import the team, read payments.
export const GHL_OAUTH_SCOPES = [
  'contacts.readonly', 'contacts.write', 'opportunities.readonly', 'opportunities.write', 'calendars.readonly',
  'calendars/events.write', 'conversations/message.write', 'users.readonly', 'payments/orders.readonly',
  'payments/transactions.readonly', 'invoices.readonly', 'locations.readonly',
];

function oauthOf(services: Services) {
  if (!services.ghl.oauth) throw new HttpError(503, 'OAuth is not configured on this server: set GHL_OAUTH_CLIENT_ID and GHL_OAUTH_CLIENT_SECRET, or connect with a Private Integration Token');
  return services.ghl.oauth;
}

const secretOf = (auth: AuthConfig) => new TextEncoder().encode(auth.jwtSecret);
const callbackUrl = (origin: string) => `${origin}${CALLBACK_PATH}`;

const callbackQuery = z.object({ code: z.string().min(1).max(2000).optional(), state: z.string().min(1).max(4000), error: z.string().max(500).optional() });

export function ghlOauthRoutes(auth: AuthConfig): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/orgs/:orgId/integrations/ghl/oauth/start',
      summary: "The GHL marketplace URL to send the browser to; GHL returns it to the callback, which connects the chosen location",
      tags: ['integrations'],
      access: orgAccess('integrations', 'create'),
      errors: { 503: 'OAuth (or the encryption key) is not configured on this server' },
      async handler({ req, params, user, services }) {
        const oauth = oauthOf(services);
        keyRingOf(services);
        const state = await new SignJWT({ org: params.orgId!, sub: user!.id })
          .setProtectedHeader({ alg: 'HS256' })
          .setAudience(STATE_AUDIENCE)
          .setIssuedAt()
          .setExpirationTime(STATE_TTL)
          .sign(secretOf(auth));
        const origin = `${req.protocol}://${req.get('host')}`;
        return { url: installUrl({ marketplaceUrl: new URL(oauth.authorizeUrl).origin, clientId: oauth.clientId, redirectUri: callbackUrl(origin), scopes: GHL_OAUTH_SCOPES, state }) };
      },
    }),
    defineRoute<Record<string, never>, z.infer<typeof callbackQuery>>({
      method: 'get',
      path: CALLBACK_PATH,
      summary: 'Where GHL returns after consent: exchanges the code, seals the tokens, and redirects to the integrations page',
      tags: ['integrations'],
      access: publicAccess,
      query: callbackQuery,
      async handler({ req, res, query, services }) {
        let claims: { org: string; sub: string };
        try {
          const { payload } = await jwtVerify(query.state, secretOf(auth), { audience: STATE_AUDIENCE, algorithms: ['HS256'] });
          claims = payload as unknown as { org: string; sub: string };
        } catch {
          throw new HttpError(400, 'The OAuth state is invalid or expired: start the connection again');
        }
        const back = (q: string) => res.redirect(302, `/orgs/${encodeURIComponent(claims.org)}/integrations?${q}`);
        if (query.error || !query.code) return back(`error=${encodeURIComponent(query.error ?? 'GoHighLevel returned no code')}`);
        const oauth = oauthOf(services);
        keyRingOf(services);
        let token;
        try {
          token = await exchangeCode({
            baseUrl: services.ghl.baseUrl,
            clientId: oauth.clientId,
            clientSecret: oauth.clientSecret,
            code: query.code,
            redirectUri: callbackUrl(`${req.protocol}://${req.get('host')}`),
          });
        } catch (err) {
          return back(`error=${encodeURIComponent(err instanceof GhlError ? `GoHighLevel refused the code: ${err.message}` : 'GoHighLevel could not be reached')}`);
        }
        if (!token.locationId) return back(`error=${encodeURIComponent('Choose a sub-account (location): agency-wide installs are not supported')}`);
        const credentials: GhlCredentials = {
          kind: 'oauth',
          accessToken: token.access_token,
          refreshToken: token.refresh_token,
          expiresAt: new Date(Date.now() + token.expires_in * 1000).toISOString(),
          scope: token.scope,
          userType: token.userType,
        };
        // With the organization's data key, read before the member's transaction holds a connection.
        const sealer = await credentialSealer(services, claims.org);
        // As the member who started it: RLS checks they may still connect integrations here.
        const id = await withClaims(services.sql, { role: 'authenticated', sub: claims.sub }, async (tx) => {
          const [existing] = await tx<{ id: string }[]>`
            select id from public.integrations where organization_id = ${claims.org} and provider = 'ghl' and external_account_id = ${token.locationId!}`;
          if (!existing) {
            const row = await insertIntegration(tx, sealer, {
              orgId: claims.org, userId: claims.sub, authType: 'oauth', locationId: token.locationId!, companyId: token.companyId ?? undefined,
              name: '', credentials, expiresAt: new Date(credentials.expiresAt),
            });
            await afterConnect(services, claims.org, row.id);
            return row.id;
          }
          // Reconnecting a location: new tokens, same integration (its webhook URL stays).
          const sealed = sealer.seal(existing.id, credentials);
          await tx`update public.integrations set auth_type = 'oauth', credentials = ${sealed.envelope}, credentials_key_id = ${sealed.keyId},
            access_expires_at = ${credentials.expiresAt}, company_id = coalesce(${token.companyId ?? null}, company_id), status = 'connected', status_detail = null
            where id = ${existing.id} and organization_id = ${claims.org}`;
          return (await loadIntegration(tx, claims.org, existing.id)).id;
        }).catch((err: unknown) => {
          const code = (err as { code?: string }).code;
          if (code === '23505') throw new HttpError(409, 'This location is already connected to another organization');
          if (code === '42501') throw new HttpError(403, 'You may no longer connect integrations in this organization');
          throw err;
        });
        return back(`connected=${encodeURIComponent(id)}`);
      },
    }),
  ];
}
