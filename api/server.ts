import { Client, Connection } from '@temporalio/client';
import { ConfigError, loadRuntimeEnv } from '../config/env';
import { createLogger } from '../config/logger';
import { encryptedDataConverter, payloadCodec } from '../codec/data-converter';
import { createSql } from '../db/client';
import { parseKeyRing } from '../db/secrets';
import { embedderFromEnv } from '../activities/bots/embeddings';
import { receiptStorageFrom } from '../activities/receipts/storage';
import { createApp } from './app';
import { ensurePlatformSchedules } from './platform-schedules';

async function main(): Promise<void> {
  const env = loadRuntimeEnv();
  if (!env.JWT_SECRET) throw new ConfigError('JWT_SECRET is not set: the API signs sessions with it (32+ characters; npm start generates one).');
  const log = createLogger('api', env.LOG_LEVEL);
  const sql = createSql(env.DATABASE_URL, { applicationName: 'flowline-api' });
  // Lazy: the API comes up even while Temporal is down, and /readyz says so.
  const connection = Connection.lazy({ address: env.TEMPORAL_ADDRESS });
  const keyRing = env.FLOWLINE_ENCRYPTION_KEY ? parseKeyRing(env.FLOWLINE_ENCRYPTION_KEY) : undefined;
  if (!keyRing) log.warn('FLOWLINE_ENCRYPTION_KEY is not set: Temporal payloads are not encrypted');
  const codec = keyRing ? payloadCodec(sql, keyRing) : undefined;
  const temporal = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, ...(codec ? { dataConverter: encryptedDataConverter(codec) } : {}) });
  const app = createApp({
    sql,
    temporal,
    log,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    temporalUiUrl: env.TEMPORAL_UI_URL,
    readyzTimeoutMs: env.READYZ_TIMEOUT_MS,
    readyzCacheMs: env.READYZ_CACHE_MS,
    webDistDir: env.WEB_DIST_DIR,
    auth: {
      jwtSecret: env.JWT_SECRET,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
      loginRateLimit: {
        windowSeconds: env.LOGIN_RATE_LIMIT_WINDOW_SECONDS,
        perIp: env.LOGIN_RATE_LIMIT_PER_IP,
        perEmail: env.LOGIN_RATE_LIMIT_PER_EMAIL,
      },
    },
    trustProxyHops: env.TRUST_PROXY_HOPS,
    webhookMaxBodyBytes: env.WEBHOOK_MAX_BODY_BYTES,
    embedder: embedderFromEnv(env, log),
    ...(codec ? { codec: { codec, allowedOrigins: [new URL(env.TEMPORAL_UI_URL).origin], platformOperators: env.FLOWLINE_PLATFORM_OPERATORS } } : {}),
    receipts: { storage: receiptStorageFrom(env), maxBytes: env.RECEIPTS_MAX_BYTES },
    ghl: {
      keyRing,
      baseUrl: env.GHL_BASE_URL,
      oauth:
        env.GHL_OAUTH_CLIENT_ID && env.GHL_OAUTH_CLIENT_SECRET
          ? { clientId: env.GHL_OAUTH_CLIENT_ID, clientSecret: env.GHL_OAUTH_CLIENT_SECRET, authorizeUrl: env.GHL_OAUTH_AUTHORIZE_URL }
          : undefined,
      webhookKeys: { ed25519PublicKeyPem: env.GHL_WEBHOOK_ED25519_PUBLIC_KEY, rsaPublicKeyPem: env.GHL_WEBHOOK_RSA_PUBLIC_KEY },
      sandbox:
        env.GHL_SANDBOX_LOCATION_ID && env.GHL_SANDBOX_TOKEN
          ? { locationId: env.GHL_SANDBOX_LOCATION_ID, companyId: env.GHL_SANDBOX_COMPANY_ID, token: env.GHL_SANDBOX_TOKEN }
          : undefined,
    },
  });
  const server = app.listen(env.PORT, () => log.info({ port: env.PORT }, 'api listening'));
  // Non-fatal: the API also serves while Temporal is down; the next start creates it then.
  ensurePlatformSchedules(temporal, env.TEMPORAL_TASK_QUEUE).catch((err: unknown) =>
    log.warn({ err }, 'could not create the execution-retention schedule yet'),
  );
  server.on('error', (err: NodeJS.ErrnoException) => {
    console.error(
      err.code === 'EADDRINUSE' ? `Port ${env.PORT} is already in use: stop what uses it or set PORT.` : err.message,
    );
    process.exit(1);
  });
  const stop = () => {
    server.close(() => {
      void Promise.all([sql.end({ timeout: 5 }), connection.close()]).finally(() => process.exit(0));
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
