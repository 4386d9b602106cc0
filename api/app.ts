import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { DEFAULT_RECEIPTS_DIR, localReceiptStorage } from '../activities/receipts/storage';
import express, { type Express, Router } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../config/logger';
import type { Embedder } from '../activities/bots/embeddings';
import type { ReceiptSettings } from './http/route';
import { codecEndpoint, type CodecEndpointDeps } from './codec/endpoint';
import type { Sql } from '../db/client';
import { DEFAULT_GHL_SETTINGS, type GhlSettings } from './integrations/settings';
import { errorHandler, notFound } from './problem';
import type { AuthConfig } from './auth/tokens';
import { mountRoutes, routeDocs } from './http/route';
import { ReadinessChecker } from './readiness';
import { apiRoutes } from './routes';
import { ghlWebhookDocs, ghlWebhookRoutes } from './routes/ghl-webhooks';
import { hookDocs, hookRoutes } from './routes/hooks';
import { widgetPublicRouter } from './routes/bot-widget';
import { docsRoutes } from './routes/docs';
import { healthDocs, healthRoutes } from './routes/health';

// The version of the HTTP API contract (the /api/v1 prefix carries its major).
const API_VERSION = '1.0.0';

export interface AppDeps {
  sql: Sql;
  temporal: Client;
  log: Logger;
  taskQueue: string;
  temporalUiUrl: string;
  readyzTimeoutMs: number;
  readyzCacheMs: number;
  webDistDir: string;
  auth: AuthConfig;
  /** Proxy hops in front of the API whose X-Forwarded-For is trusted (client IP for rate limits). */
  trustProxyHops?: number;
  webhookMaxBodyBytes?: number;
  ghl?: Partial<GhlSettings>;
  /** Embeds bots' knowledge as it is added and searched (FLOWLINE_EMBEDDINGS_MODEL). */
  embedder?: Embedder;
  /** Payload encryption: the codec the Temporal UI's codec endpoint (/api/v1/codec) decodes with. */
  codec?: CodecEndpointDeps;
  /** Receipt files (default: local disk under .data/receipts) and the largest one accepted. */
  receipts?: Partial<ReceiptSettings>;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxyHops ?? 0);
  app.use(pinoHttp({ logger: deps.log, autoLogging: { ignore: (req) => req.url === '/healthz' } }));
  const services = {
    temporal: deps.temporal,
    taskQueue: deps.taskQueue,
    sql: deps.sql,
    // The namespace the client talks to is the one runs are started in.
    temporalUi: { url: deps.temporalUiUrl, namespace: deps.temporal.options.namespace },
    ghl: { ...DEFAULT_GHL_SETTINGS, ...deps.ghl },
    embedder: deps.embedder,
    receipts: {
      storage: deps.receipts?.storage ?? localReceiptStorage(DEFAULT_RECEIPTS_DIR),
      maxBytes: deps.receipts?.maxBytes ?? 10 * 1024 * 1024,
      ...(deps.receipts?.modelRetry ? { modelRetry: deps.receipts.modelRetry } : {}),
    },
  };
  // Webhooks read their raw body (signatures are over the exact bytes): before the JSON parser.
  app.use(hookRoutes({ sql: deps.sql, services, maxBodyBytes: deps.webhookMaxBodyBytes ?? 1024 * 1024 }));
  app.use(ghlWebhookRoutes({ services, log: deps.log, maxBodyBytes: deps.webhookMaxBodyBytes ?? 1024 * 1024 }));
  // Before the JSON parser: a page of payloads can be larger than 1 MB.
  if (deps.codec) app.use('/api/v1/codec', codecEndpoint({ ...deps.codec, sql: deps.sql, auth: deps.auth, namespace: deps.temporal.options.namespace }));
  app.use(express.json({ limit: '1mb' }));

  const readiness = new ReadinessChecker({
    sql: deps.sql,
    temporal: deps.temporal,
    taskQueue: deps.taskQueue,
    temporalUiUrl: deps.temporalUiUrl,
    timeoutMs: deps.readyzTimeoutMs,
    cacheMs: deps.readyzCacheMs,
  });
  app.use(healthRoutes(readiness));
  // The bots' web-chat widget: its page, embed script and CORS preflights (the API is in the route table).
  app.use(widgetPublicRouter({ sql: deps.sql }));
  const routes = apiRoutes(deps.auth);
  const api = Router();
  mountRoutes(api, routes, { sql: deps.sql, auth: deps.auth, services });
  app.use(api);
  app.use(docsRoutes([...healthDocs, ...hookDocs, ...ghlWebhookDocs, ...routeDocs(routes)], API_VERSION));

  app.use('/api', notFound);
  serveWebApp(app, path.resolve(deps.webDistDir));
  app.use(notFound);
  app.use(errorHandler(deps.log));
  return app;
}

/** The built web app, with client-side routes falling back to index.html. */
function serveWebApp(app: Express, distDir: string): void {
  const index = path.join(distDir, 'index.html');
  if (!existsSync(index)) return;
  app.use(express.static(distDir, { index: false }));
  app.get(/^\/(?!api\/|hooks\/).*/, (_req, res) => {
    res.sendFile(index);
  });
}
