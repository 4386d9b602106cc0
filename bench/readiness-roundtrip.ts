// What does a trip through Temporal cost compared with asking Postgres directly?
// Baseline: the readiness query run directly on Postgres. Subject: the same query inside the
// readiness workflow (client -> Temporal -> worker -> activity -> Postgres -> back).
// Both run in the same process against the same servers, so the ratio survives a noisy machine.
//   node --import tsx bench/readiness-roundtrip.ts [rounds]
import { LOCAL_IO } from '../activities/flow';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { startEphemeralStack } from '../scripts/lib/ephemeral-stack';
import { createWorker } from '../workers/worker';
import type { readinessWorkflow } from '../workflows/readiness';

const ROUNDS = Number(process.argv[2] ?? 40);
const WARMUP = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function time(rounds: number, fn: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples;
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const stack = await startEphemeralStack('bench-readiness');
  const nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
  const taskQueue = 'bench-readiness';
  const worker = await createWorker({ connection: nativeConnection, namespace: 'default', taskQueue, sql: stack.sql, ...LOCAL_IO });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  const direct = () => stack.sql`select server_version from app.platform_info()`;
  const viaTemporal = () =>
    client.workflow.execute<typeof readinessWorkflow>('readinessWorkflow', { taskQueue, workflowId: `bench:${randomUUID()}` });
  try {
    await worker.runUntil(async () => {
      await time(WARMUP, direct);
      await time(WARMUP, viaTemporal);
      // Interleave the two in blocks so drift on a shared machine hits both alike.
      const baseline: number[] = [];
      const subject: number[] = [];
      for (let block = 0; block < 4; block += 1) {
        baseline.push(...(await time(ROUNDS / 4, direct)));
        subject.push(...(await time(ROUNDS / 4, viaTemporal)));
      }
      const b = median(baseline);
      const s = median(subject);
      console.log(`rounds: ${baseline.length} each`);
      console.log(`baseline  direct Postgres query        median ${b.toFixed(2)} ms`);
      console.log(`subject   readiness workflow round trip median ${s.toFixed(2)} ms`);
      console.log(`ratio     subject / baseline = ${(s / b).toFixed(1)}x`);
    });
  } finally {
    await connection.close();
    await nativeConnection.close();
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
