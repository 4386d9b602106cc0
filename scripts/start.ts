// `npm start`: the whole platform on embedded defaults, one progress line per step.
// Ctrl-C (SIGINT) or SIGTERM stops every child this started, in reverse order.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createSql } from '../db/client';
import { startFakeGhl } from '../fakes/ghl';
import { startFakeLlm } from '../fakes/llm';
import { migrate } from '../db/migrate';
import { StartupError } from './lib/errors';
import { APP_LOGIN_ROLE, appLoginPassword, enableAppLogin } from './lib/app-login';
import { localEncryptionKey, localJwtSecret } from './lib/local-secrets';
import { loadLauncherEnv } from './lib/launcher-env';
import { assertPortFree } from './lib/ports';
import { usePostgres } from './lib/postgres';
import { say } from './lib/progress';
import { spawnService, stopChild } from './lib/service';
import { ensureTemporalCli } from './lib/temporal-cli';
import { startTemporalDevServer, type TemporalHandle, waitForTemporal } from './lib/temporal-server';
import { ensureSearchAttributes } from './lib/temporal-setup';
import { ensureWebBuild } from './lib/web-build';

const env = loadLauncherEnv();
const cleanups: (() => Promise<void>)[] = [];
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('stopping...');
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    say('stopped');
  }
  process.exit(code);
}

async function startTemporal(): Promise<TemporalHandle> {
  if (env.TEMPORAL_ADDRESS) {
    const address = env.TEMPORAL_ADDRESS;
    await waitForTemporal(address, 10_000).catch((err: unknown) => {
      throw new StartupError(
        `Cannot reach Temporal at ${address} (TEMPORAL_ADDRESS): ${err instanceof Error ? err.message : err} ` +
          'Check that the server runs, or unset TEMPORAL_ADDRESS to use the local dev server.',
      );
    });
    const added = await ensureSearchAttributes(address, env.TEMPORAL_NAMESPACE);
    say(`temporal: using ${address}${added.length ? ` (registered search attributes ${added.join(', ')})` : ''}`);
    return { address, stop: async () => undefined };
  }
  const cli = await ensureTemporalCli(env.root);
  say(`temporal: starting the dev server on :${env.TEMPORAL_PORT} (Web UI :${env.TEMPORAL_UI_PORT})...`);
  const handle = await startTemporalDevServer({
    cli,
    port: env.TEMPORAL_PORT,
    uiPort: env.TEMPORAL_UI_PORT,
    dbFile: path.join(env.dataDir, 'temporal.db'),
    logFile: path.join(env.dataDir, 'logs', 'temporal.log'),
    // The UI decodes encrypted payloads through the API, for signed-in operators (README).
    uiCodecEndpoint: `http://localhost:${env.PORT}/api/v1/codec`,
  });
  say(`temporal: ready (state in ${path.join(env.FLOWLINE_DATA_DIR, 'temporal.db')}, log in ${path.join(env.FLOWLINE_DATA_DIR, 'logs', 'temporal.log')})`);
  return handle;
}

function watch(name: string, child: ChildProcess): void {
  cleanups.push(() => stopChild(child, 'SIGTERM', 15_000));
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[flowline] ${name} exited unexpectedly (${code ?? signal}); stopping everything.`);
    void shutdown(1);
  });
}

async function waitForReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
      last = await res.text();
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new StartupError(`The platform did not become ready within ${timeoutMs / 1000} s. Last /readyz answer: ${last}`);
}

async function main(): Promise<void> {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void shutdown(0));
  await assertPortFree(env.PORT, 'Flowline API', 'PORT');

  const temporal = await startTemporal();
  cleanups.push(() => temporal.stop());

  say(env.DATABASE_URL ? 'postgres: checking DATABASE_URL...' : `postgres: starting embedded PostgreSQL on :${env.FLOWLINE_PG_PORT}...`);
  const pg = await usePostgres({
    databaseUrl: env.DATABASE_URL,
    dataDir: path.join(env.dataDir, 'postgres'),
    port: env.FLOWLINE_PG_PORT,
    password: env.FLOWLINE_PG_PASSWORD,
    database: 'flowline',
  });
  cleanups.push(() => pg.stop());
  say(`postgres: ready (${pg.embedded ? `embedded, data in ${path.join(env.FLOWLINE_DATA_DIR, 'postgres')}` : 'DATABASE_URL'})`);

  const sql = createSql(pg.url, { max: 1 });
  const { migrated, appUrl: appDatabaseUrl } = await (async () => {
    const result = await migrate(sql);
    // The API and worker never use this (owner) connection: they log in as the app role.
    const url = await enableAppLogin(sql, pg.url, appLoginPassword(env.dataDir, process.env.FLOWLINE_APP_DB_PASSWORD || undefined));
    return { migrated: result, appUrl: url };
  })().finally(() => sql.end({ timeout: 1 }));
  say(`migrations: ${migrated.applied.length} applied, ${migrated.skipped.length} already up to date`);
  say(`postgres: the api and worker log in as ${APP_LOGIN_ROLE} (no privileges until a request role is set)`);

  ensureWebBuild(env.root);

  const jwt = localJwtSecret(env.dataDir, process.env.JWT_SECRET || undefined);
  say(`auth: signing sessions with the secret from ${jwt.source}`);
  const sealing = localEncryptionKey(env.dataDir, process.env.FLOWLINE_ENCRYPTION_KEY || undefined);
  say(`secrets: sealing integration credentials with the key from ${sealing.source}`);

  const uiUrl = temporal.uiUrl ?? process.env.TEMPORAL_UI_URL ?? 'http://localhost:8233';
  const sandbox = await startGhlSandbox(`http://localhost:${env.PORT}/api/v1/integrations/ghl/webhooks`);
  const llmSandbox = await startLlmSandbox();
  const childEnv = {
    ...sandbox?.env,
    ...llmSandbox?.env,
    ...process.env,
    DATABASE_URL: appDatabaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE,
    TEMPORAL_UI_URL: uiUrl,
    PORT: String(env.PORT),
    JWT_SECRET: jwt.secret,
    FLOWLINE_ENCRYPTION_KEY: sealing.secret,
  };
  say('worker: starting...');
  watch('worker', spawnService('worker', 'workers/main.ts', childEnv, env.root));
  say(`api: starting on :${env.PORT}...`);
  watch('api', spawnService('api', 'api/server.ts', childEnv, env.root));

  const appUrl = `http://localhost:${env.PORT}`;
  await waitForReady(appUrl, 120_000);
  console.log('');
  console.log(`  App          ${appUrl}`);
  console.log(`  API docs     ${appUrl}/api/docs`);
  console.log(`  Readiness    ${appUrl}/readyz`);
  console.log(`  Temporal UI  ${uiUrl}`);
  if (llmSandbox) console.log(`  LLM sandbox  ${llmSandbox.url} (model "flowline-sandbox": scripted answers, no API key needed)`);
  if (sandbox) {
    console.log(`  GHL sandbox  ${sandbox.url} (location ${sandbox.locationId}: Integrations → "Connect the sandbox location")`);
    if (sandbox.openInvoiceId) {
      // A payment in the sandbox, as GHL's API records one: it sends the InvoicePaid webhook.
      console.log(`  A payment    curl -X POST ${sandbox.url}/invoices/${sandbox.openInvoiceId}/record-payment -H 'Authorization: Bearer ${sandbox.env.GHL_SANDBOX_TOKEN}' \\`);
      console.log(`                 -H 'Version: 2021-07-28' -H 'Content-Type: application/json' -d '{"altId":"${sandbox.locationId}","altType":"location","mode":"card","amount":1000}'`);
    }
  }
  console.log('');
  say('ready (Ctrl-C stops everything)');
}

/**
 * The fake OpenAI-compatible server as the sandbox model (`flowline-sandbox`): deterministic
 * answers and tool calls by keyword, so bots and AI steps work without an API key. Its replies
 * say they come from the sandbox model.
 */
async function startLlmSandbox(): Promise<{ url: string; env: Record<string, string> } | undefined> {
  if (env.FLOWLINE_LLM_SANDBOX === 'false' || (env.FLOWLINE_LLM_SANDBOX === 'auto' && env.OPENAI_API_KEY)) return undefined;
  await assertPortFree(env.FLOWLINE_LLM_SANDBOX_PORT, 'the LLM sandbox', 'FLOWLINE_LLM_SANDBOX_PORT');
  const fake = await startFakeLlm({ port: env.FLOWLINE_LLM_SANDBOX_PORT });
  cleanups.push(() => fake.close());
  say(`llm sandbox: a fake OpenAI-compatible model "${fake.model}" on ${fake.url} (FLOWLINE_LLM_SANDBOX=false to skip)`);
  return { url: fake.url, env: { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: fake.apiKey } };
}

/**
 * The fake GHL as a sandbox location, so every GHL feature can be tried without a GHL account:
 * the API and worker talk to it, trust its webhook signing keys, and offer its location.
 */
async function startGhlSandbox(webhookUrl: string): Promise<{ url: string; locationId: string; openInvoiceId?: string; env: Record<string, string> } | undefined> {
  if (env.FLOWLINE_GHL_SANDBOX === 'false' || (env.FLOWLINE_GHL_SANDBOX === 'auto' && env.GHL_BASE_URL)) return undefined;
  await assertPortFree(env.FLOWLINE_GHL_SANDBOX_PORT, 'the GHL sandbox', 'FLOWLINE_GHL_SANDBOX_PORT');
  const fake = await startFakeGhl({ port: env.FLOWLINE_GHL_SANDBOX_PORT, webhookUrl, seed: { contacts: 25 } });
  cleanups.push(() => fake.close());
  say(`ghl sandbox: a fake GoHighLevel location on ${fake.url} (FLOWLINE_GHL_SANDBOX=false to skip)`);
  return {
    url: fake.url,
    locationId: fake.locationId,
    openInvoiceId: [...fake.state.invoices.values()].find((i) => i.status === 'sent')?._id,
    env: {
      GHL_BASE_URL: fake.url,
      GHL_WEBHOOK_ED25519_PUBLIC_KEY: fake.keys.ed25519PublicKeyPem,
      GHL_WEBHOOK_RSA_PUBLIC_KEY: fake.keys.rsaPublicKeyPem,
      GHL_OAUTH_CLIENT_ID: fake.oauth.clientId,
      GHL_OAUTH_CLIENT_SECRET: fake.oauth.clientSecret,
      GHL_OAUTH_AUTHORIZE_URL: `${fake.url}/oauth/chooselocation`,
      GHL_SANDBOX_LOCATION_ID: fake.locationId,
      GHL_SANDBOX_COMPANY_ID: fake.companyId,
      GHL_SANDBOX_TOKEN: fake.privateToken,
    },
  };
}

main().catch(async (err: unknown) => {
  console.error(`[flowline] ${err instanceof StartupError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  await shutdown(1);
});
