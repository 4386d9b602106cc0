import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { createSql } from '../db/client';
import { migrate } from '../db/migrate';
import { appLoginPassword, enableAppLogin } from '../scripts/lib/app-login';
import { WORKFLOWS_PATH } from '../workers/worker';
import { FAILURE_CONVERTER_PATH } from '../codec/failure-converter';
import { loadLauncherEnv } from '../scripts/lib/launcher-env';
import { freePort } from '../scripts/lib/ports';
import { assertReachable, startEmbeddedPostgres, type PostgresHandle } from '../scripts/lib/postgres';
import { say } from '../scripts/lib/progress';
import { ensureTemporalCli } from '../scripts/lib/temporal-cli';
import { startTemporalDevServer, type TemporalHandle, waitForTemporal } from '../scripts/lib/temporal-server';
import { ensureSearchAttributes } from '../scripts/lib/temporal-setup';
import { ensureWebBuild } from '../scripts/lib/web-build';

export interface TestStack {
  pg: PostgresHandle;
  temporal: TemporalHandle;
  dropDatabase?: () => Promise<void>;
}

const TEST_DATABASE = 'flowline_test';

/** Honour DATABASE_URL: a fresh database on that server for this run, dropped afterwards. */
async function externalPostgres(url: string): Promise<{ pg: PostgresHandle; admin: string; drop: () => Promise<void> }> {
  await assertReachable(url, 'DATABASE_URL');
  const admin = createSql(url, { max: 1 });
  await admin.unsafe(`drop database if exists "${TEST_DATABASE}" with (force)`);
  await admin.unsafe(`create database "${TEST_DATABASE}"`);
  await admin.end();
  const testUrl = new URL(url);
  testUrl.pathname = `/${TEST_DATABASE}`;
  const drop = async () => {
    const sql = createSql(url, { max: 1 });
    await sql.unsafe(`drop database if exists "${TEST_DATABASE}" with (force)`).finally(() => sql.end());
  };
  return { pg: { url: testUrl.toString(), embedded: false, stop: async () => undefined }, admin: url, drop };
}

export default async function globalSetup(): Promise<void> {
  console.log('');
  const env = loadLauncherEnv();
  const dir = path.join(env.dataDir, 'test');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  let pg: PostgresHandle;
  let adminUrl: string;
  let dropDatabase: (() => Promise<void>) | undefined;
  if (env.DATABASE_URL) {
    say('test setup: using DATABASE_URL (a fresh flowline_test database)');
    const external = await externalPostgres(env.DATABASE_URL);
    ({ pg, admin: adminUrl, drop: dropDatabase } = external);
  } else {
    say('test setup: starting an embedded PostgreSQL for this run...');
    const port = await freePort();
    pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'postgres'), port, password: 'flowline', database: TEST_DATABASE, ephemeral: true });
    adminUrl = pg.url.replace(/\/[^/]+$/, '/postgres');
  }
  const sql = createSql(pg.url, { max: 1 });
  // The app under test logs in as the unprivileged app role, exactly as in production.
  const appUrl = await migrate(sql)
    .then(() => enableAppLogin(sql, pg.url, appLoginPassword(env.dataDir, process.env.FLOWLINE_APP_DB_PASSWORD || undefined)))
    .finally(() => sql.end());

  let temporal: TemporalHandle;
  if (env.TEMPORAL_ADDRESS) {
    say(`test setup: using TEMPORAL_ADDRESS ${env.TEMPORAL_ADDRESS}`);
    await waitForTemporal(env.TEMPORAL_ADDRESS, 10_000);
    await ensureSearchAttributes(env.TEMPORAL_ADDRESS, env.TEMPORAL_NAMESPACE);
    temporal = { address: env.TEMPORAL_ADDRESS, stop: async () => undefined };
  } else {
    const cli = await ensureTemporalCli(env.root);
    say('test setup: starting one Temporal dev server for this run...');
    temporal = await startTemporalDevServer({ cli, port: await freePort(), logFile: path.join(dir, 'temporal.log') });
  }

  say('test setup: bundling workflow code once for all test workers...');
  // With the failure converter of payload encryption, as every test worker encrypts.
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, failureConverterPath: FAILURE_CONVERTER_PATH, logger: quietLogger });
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, code);
  ensureWebBuild(env.root);

  // Test workers are forked after this, so they inherit these.
  process.env.FLOWLINE_TEST_DATABASE_URL = pg.url;
  process.env.FLOWLINE_TEST_APP_DATABASE_URL = appUrl;
  process.env.FLOWLINE_TEST_ADMIN_DATABASE_URL = adminUrl;
  process.env.FLOWLINE_TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.FLOWLINE_TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.FLOWLINE_TEST_ENCRYPTION_KEY = randomBytes(32).toString('base64');
  (globalThis as { __flowlineStack?: TestStack }).__flowlineStack = { pg, temporal, dropDatabase };
  say('test setup: ready');
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
