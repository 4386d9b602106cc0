import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createTokenStore, SCOPES } from './auth';
import { Reply, V_2021_04_15, V_2021_07_28, type Ctx, type RouteDef } from './context';
import { errorBody, FakeGhlError } from './errors';
import { createRateLimits, type RateLimitOptions } from './rate-limit';
import { calendarRoutes } from './routes/calendars';
import { contactRoutes } from './routes/contacts';
import { conversationRoutes } from './routes/conversations';
import { opportunityRoutes } from './routes/opportunities';
import { paymentRoutes } from './routes/payments';
import { userRoutes } from './routes/users';
import { emptyState, ghlId, seedState, type FakeGhlState, type SeedOptions } from './state';
import { createWebhookEmitter, type Delivery, type SendManyOptions, type SendOptions, type WebhookKeys } from './webhooks';

/*
 * A stand-in for GHL's LeadConnector API v2 (services.leadconnectorhq.com) serving one location,
 * for development and tests: the documented request and response shapes of the endpoints Flowline
 * uses, the Version header, bearer tokens (a Private Integration Token and OAuth tokens with
 * rotating refresh tokens), the burst rate limit with its headers, and a webhook emitter that
 * signs deliveries the way GHL does.
 */
export interface FakeGhlOptions {
  port?: number;
  host?: string;
  locationId?: string;
  companyId?: string;
  /** Sample data (default true); false starts empty. */
  seed?: boolean | SeedOptions;
  /** Where API mutations send their webhooks (ContactCreate, ContactUpdate, ContactTagUpdate...). */
  webhookUrl?: string | null;
  rateLimit?: RateLimitOptions;
}

export interface RequestLogEntry {
  /** Arrival time, epoch ms. */
  at: number;
  method: string;
  path: string;
  query: Record<string, unknown>;
  version: string | null;
  /** The token's location, when the token was valid. */
  locationId: string | null;
  status: number;
}

export interface Fault {
  status: number;
  body?: unknown;
  method?: string;
  /** Matches the request path (string: exact path; RegExp: test). */
  path?: string | RegExp;
  /** How many matching requests fail (default 1). */
  times?: number;
}

export interface FakeGhl {
  url: string;
  locationId: string;
  companyId: string;
  privateToken: string;
  oauth: {
    clientId: string;
    clientSecret: string;
    /** The install URL: visiting it (GET) redirects to redirectUri?code=...&state=... */
    authorizeUrl(redirectUri: string, state?: string): string;
    revoke(token: string): void;
    expire(token: string): void;
    /** expires_in of tokens issued from now on. */
    setAccessTokenTtl(seconds: number): void;
  };
  keys: WebhookKeys;
  state: FakeGhlState;
  webhooks: {
    send(target: string, event: Record<string, unknown>, options?: SendOptions): Promise<Delivery[]>;
    sendMany(target: string, events: Record<string, unknown>[], options?: SendManyOptions): Promise<Delivery[]>;
    deliveries: Delivery[];
    /** Where API mutations send webhooks; null: nowhere. */
    target: string | null;
    /** Resolves once the webhooks of earlier API mutations were delivered. */
    idle(): Promise<void>;
  };
  requests: RequestLogEntry[];
  /** Makes the next matching API request(s) answer an error, after auth and rate limiting. */
  failNext(fault: Fault): void;
  conversations: {
    /**
     * The GHL user that messages sent through the API are attributed to (their `userId` and
     * that of their OutboundMessage webhook); null (the default): none. GHL names one when the
     * app's token acts for a user, so an app's own messages can carry a userId too.
     */
    apiMessagesUserId: string | null;
  };
  close(): Promise<void>;
}

const VERSIONS = [V_2021_07_28, V_2021_04_15];
const send = (res: Response, status: number, body: unknown) => res.status(status).json(body);

export async function startFakeGhl(options: FakeGhlOptions = {}): Promise<FakeGhl> {
  const locationId = options.locationId ?? ghlId();
  const companyId = options.companyId ?? ghlId();
  const state = emptyState();
  if (options.seed !== false) seedState(state, locationId, companyId, typeof options.seed === 'object' ? options.seed : {});
  const installer = [...state.users.values()].find((u) => u.roles.role === 'admin')?.id ?? ghlId();
  const tokens = createTokenStore(locationId, companyId, installer);
  const limits = createRateLimits(options.rateLimit);
  const emitter = createWebhookEmitter();
  const requests: RequestLogEntry[] = [];
  const faults: (Fault & { left: number })[] = [];
  let target: string | null = options.webhookUrl ?? null;
  let baseUrl = '';

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req: Request, res: Response, next: NextFunction) => {
    const entry: RequestLogEntry = {
      at: Date.now(),
      method: req.method,
      path: req.path,
      query: { ...req.query },
      version: req.get('Version') ?? null,
      locationId: null,
      status: 0,
    };
    res.locals.entry = entry;
    res.on('finish', () => {
      entry.status = res.statusCode;
      requests.push(entry);
    });
    next();
  });
  app.use(express.json({ limit: '1mb' }));
  app.use(express.urlencoded({ extended: false }));

  // ---- OAuth: the marketplace's install screen and the token endpoint ----
  app.get('/oauth/chooselocation', (req, res) => {
    const redirectUri = typeof req.query.redirect_uri === 'string' ? req.query.redirect_uri : '';
    if (req.query.client_id !== tokens.clientId || !/^https?:\/\//.test(redirectUri)) {
      return send(res, 400, errorBody(400, 'Invalid client_id or redirect_uri'));
    }
    const url = new URL(redirectUri);
    url.searchParams.set('code', tokens.issueCode(redirectUri));
    if (typeof req.query.state === 'string') url.searchParams.set('state', req.query.state);
    res.redirect(302, url.toString());
  });

  app.post('/oauth/token', (req, res) => {
    const b = (req.body ?? {}) as Record<string, string | undefined>;
    if (b.client_id !== tokens.clientId || b.client_secret !== tokens.clientSecret) {
      return send(res, 401, errorBody(401, 'Invalid client: client credentials are invalid'));
    }
    if (b.user_type !== undefined && b.user_type !== 'Location' && b.user_type !== 'Company') {
      return send(res, 422, errorBody(422, ['user_type must be one of the following values: Company, Location']));
    }
    let result;
    if (b.grant_type === 'authorization_code') {
      if (!b.code) return send(res, 422, errorBody(422, ['code should not be empty']));
      result = tokens.exchangeCode(b.code, b.redirect_uri);
    } else if (b.grant_type === 'refresh_token') {
      if (!b.refresh_token) return send(res, 422, errorBody(422, ['refresh_token should not be empty']));
      result = tokens.refresh(b.refresh_token);
    } else {
      return send(res, 422, errorBody(422, ['grant_type must be one of the following values: authorization_code, refresh_token']));
    }
    if ('refused' in result) return send(res, 400, { error: 'invalid_grant', error_description: result.refused });
    send(res, 200, result);
  });

  // ---- The API ----
  const conversations = { apiMessagesUserId: null as string | null };
  const ctxFor = (loc: string): Ctx => ({
    state,
    locationId: loc,
    companyId,
    apiMessagesUserId: conversations.apiMessagesUserId,
    emit(event) {
      if (target) emitter.track(emitter.send(target, event));
    },
  });

  const mount = (route: RouteDef) => {
    app[route.method](route.path, async (req: Request, res: Response) => {
      const entry = res.locals.entry as RequestLogEntry;
      const version = req.get('Version');
      if (!version) return send(res, 400, errorBody(400, 'Version header was not found'));
      if (!VERSIONS.includes(version)) return send(res, 400, errorBody(400, `Version ${version} is not supported`));
      if (version !== route.version) return send(res, 400, errorBody(400, `Version ${version} is not supported for this endpoint; use ${route.version}`));
      const auth = /^Bearer\s+(.+)$/i.exec(req.get('Authorization') ?? '');
      if (!auth) return send(res, 401, errorBody(401, 'Invalid token: access token is invalid'));
      const checked = tokens.check(auth[1]!.trim());
      if ('refused' in checked) return send(res, 401, errorBody(401, checked.refused));
      const loc = checked.grant.locationId;
      entry.locationId = loc;
      const decision = limits.take(loc, entry.at);
      res.set(decision.headers);
      if (!decision.allowed) {
        res.set('Retry-After', String(decision.retryAfterSeconds));
        return send(res, 429, errorBody(429, 'Too many requests'));
      }
      const fault = faults.find(
        (f) => f.left > 0 && (!f.method || f.method.toUpperCase() === req.method) && (!f.path || (typeof f.path === 'string' ? f.path === req.path : f.path.test(req.path))),
      );
      if (fault) {
        fault.left--;
        return send(res, fault.status, fault.body ?? errorBody(fault.status, fault.status >= 500 ? 'Internal server error' : 'Injected error'));
      }
      try {
        const out = await route.handler(req, ctxFor(loc));
        if (out instanceof Reply) return send(res, out.status, out.body);
        send(res, 200, out);
      } catch (err) {
        if (err instanceof FakeGhlError) return send(res, err.status, err.body);
        send(res, 500, errorBody(500, 'Internal server error'));
      }
    });
  };
  for (const route of [...contactRoutes, ...opportunityRoutes, ...calendarRoutes, ...conversationRoutes, ...userRoutes, ...paymentRoutes]) mount(route);

  // NestJS answers unknown routes and unparsable bodies like this.
  app.use((req: Request, res: Response) => send(res, 404, errorBody(404, `Cannot ${req.method} ${req.path}`)));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : 500;
    send(res, status, errorBody(status, err instanceof Error ? err.message : 'Internal server error'));
  });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}`;

  return {
    url: baseUrl,
    locationId,
    companyId,
    privateToken: tokens.privateToken,
    oauth: {
      clientId: tokens.clientId,
      clientSecret: tokens.clientSecret,
      authorizeUrl(redirectUri, state = randomUUID()) {
        const url = new URL('/oauth/chooselocation', baseUrl);
        url.searchParams.set('response_type', 'code');
        url.searchParams.set('client_id', tokens.clientId);
        url.searchParams.set('redirect_uri', redirectUri);
        url.searchParams.set('scope', SCOPES);
        url.searchParams.set('state', state);
        return url.toString();
      },
      revoke: (token) => tokens.revoke(token),
      expire: (token) => tokens.expire(token),
      setAccessTokenTtl(seconds) {
        tokens.accessTokenTtlSeconds = seconds;
      },
    },
    keys: emitter.keys,
    state,
    webhooks: {
      send: (t, event, o) => emitter.send(t, event, o),
      sendMany: (t, events, o) => emitter.sendMany(t, events, o),
      deliveries: emitter.deliveries,
      get target() {
        return target;
      },
      set target(value: string | null) {
        target = value;
      },
      idle: () => emitter.idle(),
    },
    requests,
    failNext(fault) {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    conversations,
    async close() {
      await emitter.idle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
