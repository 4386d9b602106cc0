// Records real workflow histories into test/histories/ for the replay test, which guards
// workflow determinism: when a workflow's code changes incompatibly, replaying these fails.
// Run after adding or deliberately changing a workflow (use patched() for running ones):
//   node --import tsx scripts/record-history.ts
import { LOCAL_IO } from '../activities/flow';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { NativeConnection } from '@temporalio/worker';
import { createSql, type Sql } from '../db/client';
import { createWorker } from '../workers/worker';
import { startEphemeralStack } from './lib/ephemeral-stack';
import { ROOT } from './lib/launcher-env';
import { say } from './lib/progress';

const OUT = path.join(ROOT, 'test', 'histories');

interface Scenario {
  file: string;
  workflowType: string;
  args: unknown[];
  /** The database the worker sees: the real one, or none (the failure path). */
  database: 'up' | 'down';
}

const SCENARIOS: Scenario[] = [
  { file: 'readiness-postgres-up.json', workflowType: 'readinessWorkflow', args: [], database: 'up' },
  { file: 'readiness-postgres-down.json', workflowType: 'readinessWorkflow', args: [], database: 'down' },
];

async function record(address: string, goodSql: Sql, scenario: Scenario): Promise<void> {
  const taskQueue = `record-${scenario.file}`;
  const sql = scenario.database === 'up' ? goodSql : createSql('postgres://postgres:x@127.0.0.1:9/none', { max: 1 });
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await createWorker({ connection: nativeConnection, namespace: 'default', taskQueue, sql, ...LOCAL_IO });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const workflowId = `record:${scenario.file}`;
  await worker.runUntil(client.workflow.execute(scenario.workflowType, { workflowId, taskQueue, args: scenario.args }));
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  // Stack traces name this machine's paths and play no part in replay.
  const json = JSON.stringify(JSON.parse(historyToJSON(history), (key, value: unknown) => (key === 'stackTrace' ? undefined : value)), null, 2);
  writeFileSync(path.join(OUT, scenario.file), `${json}\n`);
  say(`recorded ${scenario.file} (${history.events?.length ?? 0} events)`);
  await connection.close();
  await nativeConnection.close();
  if (sql !== goodSql) await sql.end();
}

async function main(): Promise<void> {
  const stack = await startEphemeralStack('record-history');
  try {
    for (const scenario of SCENARIOS) await record(stack.temporalAddress, stack.sql, scenario);
  } finally {
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
