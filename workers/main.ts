import { NativeConnection } from '@temporalio/worker';
import { ConfigError, loadRuntimeEnv } from '../config/env';
import { createLogger } from '../config/logger';
import { embedderFromEnv } from '../activities/bots/embeddings';
import { receiptStorageFrom } from '../activities/receipts/storage';
import { archiveStorageFrom } from '../activities/retention/archive';
import { encryptedDataConverter, payloadCodec } from '../codec/data-converter';
import { createSql } from '../db/client';
import { parseKeyRing } from '../db/secrets';
import { createWorker } from './worker';

async function main(): Promise<void> {
  const env = loadRuntimeEnv();
  const log = createLogger('worker', env.LOG_LEVEL);
  const sql = createSql(env.DATABASE_URL, { applicationName: 'flowline-worker' });
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  const keyRing = env.FLOWLINE_ENCRYPTION_KEY ? parseKeyRing(env.FLOWLINE_ENCRYPTION_KEY) : undefined;
  if (!keyRing) log.warn('FLOWLINE_ENCRYPTION_KEY is not set: Temporal payloads are not encrypted');
  const worker = await createWorker({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    sql,
    ...(keyRing ? { dataConverter: encryptedDataConverter(payloadCodec(sql, keyRing)) } : {}),
    ...(env.WORKFLOW_BUNDLE_PATH ? { workflowBundle: { codePath: env.WORKFLOW_BUNDLE_PATH } } : {}),
    http: { allowPrivateNetworks: env.HTTP_ALLOW_PRIVATE_NETWORKS, maxResponseBytes: env.HTTP_MAX_RESPONSE_BYTES },
    // Without a key, ai.llm nodes fail with the provider's 401, named in the step's error.
    llm: { baseURL: env.OPENAI_BASE_URL, apiKey: env.OPENAI_API_KEY ?? 'not-configured', timeoutMs: env.LLM_TIMEOUT_MS },
    embedder: embedderFromEnv(env, log),
    receipts: { storage: receiptStorageFrom(env), model: env.RECEIPTS_MODEL },
    archive: archiveStorageFrom(env),
    ghl: {
      keyRing,
      baseUrl: env.GHL_BASE_URL,
      oauth: env.GHL_OAUTH_CLIENT_ID && env.GHL_OAUTH_CLIENT_SECRET ? { clientId: env.GHL_OAUTH_CLIENT_ID, clientSecret: env.GHL_OAUTH_CLIENT_SECRET } : undefined,
    },
  });
  // Worker.run() handles SIGINT/SIGTERM itself: it stops polling and drains in-flight tasks;
  // anything unfinished is retried by Temporal on the next worker, so a restart loses nothing.
  log.info({ taskQueue: env.TEMPORAL_TASK_QUEUE, address: env.TEMPORAL_ADDRESS }, 'worker polling');
  try {
    await worker.run();
  } finally {
    await connection.close();
    await sql.end({ timeout: 5 });
    log.info('worker stopped');
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
