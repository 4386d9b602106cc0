import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { Sql } from '../../db/client';
import type { ActivityDeps } from '../../activities';
import { LOCAL_IO } from '../../activities/flow';
import { encryptedDataConverter, payloadCodec } from '../../codec/data-converter';
import { createWorker } from '../../workers/worker';
import type { GhlAccessSettings } from '../../activities/integrations/ghl-access';
import { appSql } from './db';
import { TEST_KEY_RING } from './integrations';
import { stackEnv } from './stack-env';
import { closeAfterRetries } from './temporal-connection';

export interface RunningWorker {
  taskQueue: string;
  stop(): Promise<void>;
}

let runtimeInstalled = false;
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    // Worker lifecycle lines and the expected 'Activity failed' warnings drown the report.
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // Already installed in this process by an earlier test file.
  }
}

/**
 * A real worker on the shared dev server, polling its own task queue so test files running in
 * parallel never pick up each other's workflows.
 */
export async function startWorker(
  deps: { sql?: Sql; taskQueue?: string; llm?: { baseURL: string; apiKey: string }; ghl?: Partial<GhlAccessSettings>; receipts?: ActivityDeps['receipts']; archive?: ActivityDeps['archive'] } = {},
): Promise<RunningWorker> {
  quietRuntime();
  // By default the worker logs in as the app role, as it does in production.
  const ownSql = deps.sql ? undefined : appSql();
  const keysSql = ownSql ?? appSql();
  const taskQueue = deps.taskQueue ?? `test-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address: stackEnv.temporalAddress });
  const worker = await createWorker({
    connection,
    namespace: stackEnv.namespace,
    taskQueue,
    sql: deps.sql ?? ownSql!,
    // Tests call fake third parties on 127.0.0.1.
    http: LOCAL_IO.http,
    llm: { ...LOCAL_IO.llm, ...deps.llm },
    // The test key ring, as the test app's; GHL calls go to a fake GHL when a test starts one.
    ghl: { keyRing: TEST_KEY_RING, baseUrl: 'http://127.0.0.1:9', oauth: undefined, ...deps.ghl },
    workflowBundle: { codePath: stackEnv.workflowBundlePath },
    // Payloads encrypted as in production (the run's bundle carries the failure converter). The
    // keys come from a pool of their own: a test that takes Postgres away from the activities
    // (deps.sql unreachable) still has a worker that can encrypt.
    dataConverter: encryptedDataConverter(payloadCodec(keysSql, TEST_KEY_RING)),
    ...(deps.receipts ? { receipts: deps.receipts } : {}),
    ...(deps.archive ? { archive: deps.archive } : {}),
  });
  const running = worker.run();
  return {
    taskQueue,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
      await ownSql?.end();
      if (keysSql !== ownSql) await keysSql.end();
    },
  };
}

/** A client reading and writing encrypted payloads, as the API's. */
export async function connectClient(): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address: stackEnv.temporalAddress });
  const sql = appSql();
  const client = new Client({ connection, namespace: stackEnv.namespace, dataConverter: encryptedDataConverter(payloadCodec(sql, TEST_KEY_RING)) });
  return {
    client,
    close: async () => {
      await closeAfterRetries(connection);
      await sql.end();
    },
  };
}
