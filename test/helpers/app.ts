import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import type { Embedder } from '../../activities/bots/embeddings';
import type { ReceiptStorage } from '../../activities/receipts/storage';
import { createApp } from '../../api/app';
import { encryptedDataConverter, payloadCodec } from '../../codec/data-converter';
import type { GhlSettings } from '../../api/integrations/settings';
import type { AuthConfig } from '../../api/auth/tokens';
import type { Sql } from '../../db/client';
import { appSql } from './db';
import { TEST_KEY_RING } from './integrations';
import { stackEnv } from './stack-env';
import { closeAfterRetries } from './temporal-connection';

export interface RunningApp {
  url: string;
  /** The app's auth settings: tests sign their own tokens with the same secret. */
  auth: AuthConfig;
  close(): Promise<void>;
}

/** The real Express app on an ephemeral port, wired to the shared Temporal server. */
export async function startApp(deps: {
  /** Defaults to a pool logged in as the app role (flowline_app), as in production. */
  sql?: Sql;
  taskQueue: string;
  readyzTimeoutMs?: number;
  auth?: Partial<AuthConfig>;
  /** GHL settings; the test key ring unless given (keyRing: undefined turns integrations off). */
  ghl?: Partial<GhlSettings>;
  /** Embeds bots' knowledge (hybrid retrieval); none by default. */
  embedder?: Embedder;
  /** Lower-cased emails allowed to read platform-key payloads at the codec endpoint. */
  platformOperators?: string[];
  /** Origins of the Temporal Web UI the codec endpoint answers (CORS); the dev server's default UI by default. */
  codecAllowedOrigins?: string[];
  /** Receipt files and upload limit (default: .data/receipts, 10 MB). */
  receipts?: { storage: ReceiptStorage; maxBytes: number; modelRetry?: { initialIntervalMs: number; maximumAttempts: number } };
}): Promise<RunningApp> {
  const auth: AuthConfig = {
    jwtSecret: randomBytes(32).toString('base64url'),
    accessTokenTtlSeconds: 900,
    refreshTokenTtlSeconds: 86_400,
    // Generous by default: suites sign in many times from one address.
    loginRateLimit: { windowSeconds: 900, perIp: 10_000, perEmail: 10_000 },
    ...deps.auth,
  };
  const ownSql = deps.sql ? undefined : appSql();
  const sql = deps.sql ?? ownSql!;
  const connection = await Connection.connect({ address: stackEnv.temporalAddress });
  // Always the run's ring: data keys wrapped here are unwrapped by workers in other processes.
  // Keys from a pool of their own, as for test workers (a test may make `sql` unreachable).
  const keysSql = appSql();
  const codec = payloadCodec(keysSql, TEST_KEY_RING);
  const temporal = new Client({ connection, namespace: stackEnv.namespace, dataConverter: encryptedDataConverter(codec) });
  const app = createApp({
    sql,
    temporal,
    log: pino({ level: process.env.FLOWLINE_TEST_APP_LOG ?? 'silent' }),
    taskQueue: deps.taskQueue,
    temporalUiUrl: 'http://localhost:8233',
    readyzTimeoutMs: deps.readyzTimeoutMs ?? 10_000,
    readyzCacheMs: 0,
    webDistDir: 'web/dist',
    auth,
    // Nothing listens on port 9: a GHL call a test did not point at a fake fails at once.
    ghl: {
      keyRing: TEST_KEY_RING,
      baseUrl: 'http://127.0.0.1:9',
      oauth: { clientId: 'test-client', clientSecret: 'test-secret', authorizeUrl: 'http://127.0.0.1:9/oauth/chooselocation' },
      webhookKeys: {},
      ...deps.ghl,
    },
    embedder: deps.embedder,
    codec: { codec, allowedOrigins: deps.codecAllowedOrigins ?? ['http://localhost:8233'], platformOperators: deps.platformOperators ?? [] },
    ...(deps.receipts ? { receipts: deps.receipts } : {}),
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    auth,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await closeAfterRetries(connection);
      await ownSql?.end();
      await keysSql.end();
    },
  };
}
