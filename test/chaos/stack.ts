import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { createApp } from '../../api/app';
import { encryptedDataConverter, payloadCodec } from '../../codec/data-converter';
import type { AuthConfig } from '../../api/auth/tokens';
import { createSql, type Sql } from '../../db/client';
import { migrate } from '../../db/migrate';
import { parseKeyRing } from '../../db/secrets';
import { enableAppLogin } from '../../scripts/lib/app-login';
import { loadLauncherEnv, ROOT } from '../../scripts/lib/launcher-env';
import { freePort } from '../../scripts/lib/ports';
import { stopChild } from '../../scripts/lib/service';
import { ensureTemporalCli } from '../../scripts/lib/temporal-cli';
import { startTemporalDevServer, type TemporalHandle } from '../../scripts/lib/temporal-server';
import type { WebhookKeys } from '../../fakes/ghl';
import { stackEnv } from '../helpers/stack-env';
import { closeAfterRetries } from '../helpers/temporal-connection';

/*
 * A whole Flowline stack of its own for one chaos test file: an embedded Postgres on a data
 * directory that survives a stop, a Temporal dev server persisting to a SQLite file, the API in
 * this process and the worker as a child process. The shared servers of test/global-setup.ts
 * serve every other test file in parallel, so they are never stopped; these ones are.
 */
export interface ChaosStack {
  /** The migration owner's pool (fixtures and counts; RLS does not apply). */
  sql: Sql;
  appDatabaseUrl: string;
  temporalAddress: string;
  temporal: Client;
  taskQueue: string;
  app: { url: string; auth: AuthConfig };
  /** The encryption key the app and worker seal and open GHL credentials with. */
  keyRing: ReturnType<typeof parseKeyRing>;
  /** Log files of the stack's servers and workers, for a failure's post-mortem. */
  dir: string;
  startWorker(): ChildProcess;
  /** SIGKILL: no drain, no clean-up; resolves once the process is gone. */
  killWorker(worker: ChildProcess): Promise<void>;
  stopTemporal(): Promise<void>;
  startTemporal(): Promise<void>;
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  close(): Promise<void>;
}

export interface ChaosStackOptions {
  name: string;
  /** Where workers send GHL calls (a fake GHL). */
  ghlBaseUrl: string;
  ghlWebhookKeys: WebhookKeys;
  /** More environment for workers (a fake model's OPENAI_BASE_URL and key). */
  workerEnv?: Record<string, string>;
}

const PG_PASSWORD = 'chaos';

/** Starts test/chaos/postgres-process.ts and answers once its Postgres accepts connections. */
async function startPostgresProcess(dir: string, port: number, log: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'postgres-process.ts'), path.join(dir, 'postgres'), String(port), PG_PASSWORD, 'flowline'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stderr!.pipe(createWriteStream(log, { flags: 'a' }));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`the chaos Postgres exited (code ${code}) while starting; see ${log}`)));
  });
  return { url, child };
}

export async function startChaosStack(opts: ChaosStackOptions): Promise<ChaosStack> {
  // Under the data directory, not os.tmpdir(): the postgres OS user (when run as root) must enter it.
  const dir = path.join(loadLauncherEnv().dataDir, `chaos-${opts.name}-${randomUUID().slice(0, 8)}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pgPort = await freePort();
  const pgLog = path.join(dir, 'postgres.log');
  // Not ephemeral: a stop keeps the cluster for the restart; close() removes the directory.
  let pg: { url: string; child?: ChildProcess } = await startPostgresProcess(dir, pgPort, pgLog);
  const sql = createSql(pg.url, { max: 4 });
  await migrate(sql);
  // The app and worker log in as the unprivileged app role, as in production (the migrations
  // create it without a password; the launcher sets one).
  const appDatabaseUrl = await enableAppLogin(sql, pg.url, randomBytes(18).toString('base64url'));

  const cli = await ensureTemporalCli(ROOT);
  const temporalOptions = { cli, port: await freePort(), dbFile: path.join(dir, 'temporal.sqlite'), logFile: path.join(dir, 'temporal.log') };
  let temporalServer: TemporalHandle | undefined = await startTemporalDevServer(temporalOptions);
  const temporalAddress = temporalServer.address;

  const encryptionKey = randomBytes(32).toString('base64');
  const keyRing = parseKeyRing(encryptionKey);
  const taskQueue = `chaos-${opts.name}`;
  const appSql = createSql(appDatabaseUrl, { max: 4 });
  const connection = await Connection.connect({ address: temporalAddress });
  // Encrypting as api/server.ts does (the worker child encrypts with the same key).
  const codec = payloadCodec(appSql, keyRing);
  const temporal = new Client({ connection, namespace: 'default', dataConverter: encryptedDataConverter(codec) });
  const auth: AuthConfig = {
    jwtSecret: randomBytes(32).toString('base64url'),
    accessTokenTtlSeconds: 900,
    refreshTokenTtlSeconds: 86_400,
    loginRateLimit: { windowSeconds: 900, perIp: 10_000, perEmail: 10_000 },
  };
  // The app of test/helpers/app.ts, wired to this stack instead of the shared one.
  const express = createApp({
    sql: appSql,
    temporal,
    log: pino({ level: process.env.FLOWLINE_TEST_APP_LOG ?? 'silent' }),
    taskQueue,
    temporalUiUrl: 'http://localhost:8233',
    readyzTimeoutMs: 10_000,
    readyzCacheMs: 0,
    webDistDir: 'web/dist',
    auth,
    codec: { codec, allowedOrigins: [], platformOperators: [] },
    ghl: {
      keyRing,
      baseUrl: opts.ghlBaseUrl,
      oauth: { clientId: 'chaos-client', clientSecret: 'chaos-secret', authorizeUrl: 'http://127.0.0.1:9/oauth/chooselocation' },
      webhookKeys: opts.ghlWebhookKeys,
    },
  });
  const server: Server = await new Promise((resolve) => {
    const s = express.listen(0, '127.0.0.1', () => resolve(s));
  });
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const workers = new Set<ChildProcess>();
  let workerCount = 0;
  return {
    sql,
    appDatabaseUrl,
    temporalAddress,
    temporal,
    taskQueue,
    app: { url: appUrl, auth },
    keyRing,
    dir,
    startWorker() {
      workerCount += 1;
      const log = createWriteStream(path.join(dir, `worker-${workerCount}.log`));
      // The real entry point (workers/main.ts), configured only through its environment.
      const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_URL: appDatabaseUrl,
          TEMPORAL_ADDRESS: temporalAddress,
          TEMPORAL_NAMESPACE: 'default',
          TEMPORAL_TASK_QUEUE: taskQueue,
          // Bundled once by the global setup; the same code as any worker's.
          WORKFLOW_BUNDLE_PATH: stackEnv.workflowBundlePath,
          FLOWLINE_ENCRYPTION_KEY: encryptionKey,
          GHL_BASE_URL: opts.ghlBaseUrl,
          // Fake third parties listen on 127.0.0.1.
          HTTP_ALLOW_PRIVATE_NETWORKS: 'true',
          LOG_LEVEL: 'warn',
          ...opts.workerEnv,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.pipe(log);
      child.stderr!.pipe(log);
      workers.add(child);
      child.once('exit', () => workers.delete(child));
      return child;
    },
    async killWorker(worker) {
      if (worker.exitCode !== null || worker.signalCode !== null) return;
      const gone = new Promise((resolve) => worker.once('exit', resolve));
      worker.kill('SIGKILL');
      await gone;
    },
    async stopTemporal() {
      await temporalServer?.stop();
      temporalServer = undefined;
    },
    async startTemporal() {
      // Same port and SQLite file: the server comes back with every history it had.
      temporalServer = await startTemporalDevServer(temporalOptions);
    },
    async stopPostgres() {
      if (pg.child) await stopChild(pg.child, 'SIGTERM', 30_000);
      pg = { url: pg.url };
    },
    async startPostgres() {
      // Same data directory and port: the app's and worker's pools reconnect to it.
      pg = await startPostgresProcess(dir, pgPort, pgLog);
    },
    async close() {
      for (const w of workers) w.kill('SIGKILL');
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
      await closeAfterRetries(connection);
      await appSql.end({ timeout: 1 }).catch(() => undefined);
      await sql.end({ timeout: 1 }).catch(() => undefined);
      await temporalServer?.stop();
      if (pg.child) await stopChild(pg.child, 'SIGTERM', 30_000);
      // FLOWLINE_CHAOS_KEEP=1 keeps the servers' and workers' logs for a post-mortem.
      if (!process.env.FLOWLINE_CHAOS_KEEP) rmSync(dir, { recursive: true, force: true });
    },
  };
}
