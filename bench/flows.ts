// What does running a flow cost, on top of what Temporal costs anyway?
// (a) Interpreter overhead. A published 10-node linear flow (trigger.manual, then 9 http.request
//     GETs to a local no-op HTTP server) run by the real flow interpreter, against a hand-written
//     workflow that calls the same httpRequest activity 9 times in a row with the same step context,
//     config and activity options. Runs interleaved, one at a time. Printed: end-to-end latency
//     (client start -> result, median and p90) and workflow tasks per run (from the histories).
// (b) Webhook ingest. The real API answering POST /hooks/<token> (async trigger.webhook -> data.set)
//     under N concurrent clients, against the ceiling: N concurrent bare client.workflow.start calls
//     of a no-op workflow. Blocks alternate A B B A; the worker's backlog is drained between blocks.
// Everything runs in this one process against one throwaway Postgres and Temporal dev server, with
// the API and worker logged in as the app role, so the ratios survive a noisy machine; timings
// alone do not. Goals are printed next to the ratios, never enforced.
//   node --import tsx bench/flows.ts [runs] [seconds]
//     runs     interpreter runs of each kind (default 30, plus 5 warm-up)    env BENCH_RUNS
//     seconds  load time of each side in (b) (default 20; 3 for a quick run)  env BENCH_SECONDS
//     BENCH_CONCURRENCY=50 concurrent clients in (b)
import { randomBytes, randomUUID } from 'node:crypto';
import { Agent, createServer, request } from 'node:http';
import path from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import pino from 'pino';
import { LOCAL_IO } from '../activities/flow';
import type { HttpRequestConfig } from '../activities/flow/http-request';
import { createApp } from '../api/app';
import { createSql, type Sql } from '../db/client';
import { enableAppLogin } from '../scripts/lib/app-login';
import { startEphemeralStack } from '../scripts/lib/ephemeral-stack';
import { ROOT } from '../scripts/lib/launcher-env';
import { createWorker } from '../workers/worker';
import type { FlowRunInput } from '../workflows/flow/messages';
import type { flowInterpreterWorkflow } from '../workflows/flow/interpreter';
import { WORKFLOW_KINDS } from '../workflows/shared';
import type { HandWrittenChainInput, handWrittenChainWorkflow } from './workflows/hand-written';
import type { noopWorkflow } from './workflows/noop';
import { createOrg, interpreterActivityOptions, line, type NodeSpec, publishFlow, queueExecution } from './lib/flow-fixtures';
import { combine, listen, type Load, load, noopHttpServer, throughput } from './lib/load';

const RUNS = positive(process.argv[2] ?? process.env.BENCH_RUNS, 30);
const SECONDS = positive(process.argv[3] ?? process.env.BENCH_SECONDS, 20);
const CONCURRENCY = positive(process.env.BENCH_CONCURRENCY, 50);
const WARMUP_RUNS = 5;
const WARMUP_LOAD_MS = 1_000;
const HTTP_NODES = 9;
const DRAIN_LIMIT_MS = 5 * 60_000;
const FINAL = ['succeeded', 'failed', 'cancelled'];
const { EventType } = temporal.api.enums.v1;

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) && n > 0 ? n : fallback;
}

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

// ---------------------------------------------------------------------------------------------
// The benchmark
// ---------------------------------------------------------------------------------------------
async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const closers: { what: string; close: () => Promise<unknown> }[] = [];
  const onExit = (what: string, close: () => Promise<unknown>) => closers.push({ what, close });
  try {
    console.log('starting Postgres and the Temporal dev server, bundling workflows...');
    const stack = await startEphemeralStack('bench-flows');
    onExit('stack', () => stack.stop());
    const sql = stack.sql;
    // The worker and the API log in as the unprivileged app role, as in production.
    const appUrl = await enableAppLogin(sql, stack.databaseUrl, randomBytes(18).toString('base64url'));
    const workerSql = createSql(appUrl, { applicationName: 'flowline-worker' });
    onExit('worker pool', () => workerSql.end());
    const apiSql = createSql(appUrl, { applicationName: 'flowline-api' });
    onExit('api pool', () => apiSql.end());

    const noop = await listen(noopHttpServer());
    onExit('no-op server', noop.close);

    const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('./workflows'), logger: new DefaultLogger('ERROR') });
    const nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
    onExit('worker connection', () => nativeConnection.close());
    const taskQueue = 'bench-flows';
    const worker = await createWorker({ connection: nativeConnection, namespace: 'default', taskQueue, sql: workerSql, ...LOCAL_IO, workflowBundle: { code } });
    const connection = await Connection.connect({ address: stack.temporalAddress });
    onExit('client connection', () => connection.close());
    const client = new Client({ connection });

    // The API, wired as api/server.ts wires it (its own Temporal connection), on a free port.
    const apiConnection = await Connection.connect({ address: stack.temporalAddress });
    onExit('api connection', () => apiConnection.close());
    const app = createApp({
      sql: apiSql,
      temporal: new Client({ connection: apiConnection }),
      log: pino({ level: 'silent' }),
      taskQueue,
      temporalUiUrl: 'http://localhost:8233',
      readyzTimeoutMs: 10_000,
      readyzCacheMs: 0,
      webDistDir: path.join(ROOT, 'web', 'dist'),
      auth: {
        jwtSecret: randomBytes(32).toString('base64url'),
        accessTokenTtlSeconds: 900,
        refreshTokenTtlSeconds: 86_400,
        loginRateLimit: { windowSeconds: 900, perIp: 10, perEmail: 5 },
      },
    });
    const api = await listen(createServer(app));
    onExit('api server', api.close);

    await worker.runUntil(async () => {
      const orgId = await createOrg(sql, 'bench');
      await interpreterOverhead(sql, client, taskQueue, orgId, `http://127.0.0.1:${noop.port}`);
      await webhookIngest(sql, client, taskQueue, orgId, api.port);
    });
  } finally {
    for (const { what, close } of closers.reverse()) {
      await close().catch((err: unknown) => console.error(`closing the ${what} failed:`, err));
    }
  }
}

// (a) ------------------------------------------------------------------------------------------
async function interpreterOverhead(sql: Sql, client: Client, taskQueue: string, orgId: string, noopUrl: string): Promise<void> {
  const httpIds = Array.from({ length: HTTP_NODES }, (_, i) => `get${i + 1}`);
  const flow = await publishFlow(
    sql,
    orgId,
    'linear http chain',
    line([['start', 'trigger.manual'], ...httpIds.map((id): NodeSpec => [id, 'http.request', { method: 'GET', url: `${noopUrl}/${id}` }])]),
  );
  const searchAttributes = {
    OrganizationId: [orgId],
    FlowId: [flow.workflowId],
    FlowVersion: [String(flow.version)],
    Kind: [WORKFLOW_KINDS.flow],
  };

  const subjectIds: string[] = [];
  const baselineIds: string[] = [];
  const subject = async (): Promise<[number, WorkflowHandle]> => {
    const executionId = await queueExecution(sql, flow, (id) => `flow:${id}`);
    subjectIds.push(executionId);
    const input: FlowRunInput = {
      orgId,
      workflowId: flow.workflowId,
      executionId,
      versionId: flow.versionId,
      version: flow.version,
      ir: flow.ir,
      trigger: { body: null, manual: true },
    };
    const t0 = performance.now();
    const handle = await client.workflow.start<typeof flowInterpreterWorkflow>('flowInterpreterWorkflow', {
      taskQueue,
      workflowId: `flow:${executionId}`,
      args: [input],
      searchAttributes,
    });
    await handle.result();
    return [performance.now() - t0, handle];
  };
  const baseline = async (): Promise<[number, WorkflowHandle]> => {
    // The activity records its steps, so the hand-written run needs an execution row too.
    const executionId = await queueExecution(sql, flow, (id) => `hand-written:${id}`);
    baselineIds.push(executionId);
    const input: HandWrittenChainInput = {
      calls: httpIds.map((nodeId) => {
        const node = flow.ir.nodes[nodeId]!;
        return {
          ctx: { orgId, executionId, nodeId, nodeType: node.type, iteration: '' },
          // No templates in these configs: the interpreter's evaluated config is this one.
          config: node.config as unknown as HttpRequestConfig,
          options: interpreterActivityOptions(node),
        };
      }),
    };
    const t0 = performance.now();
    const handle = await client.workflow.start<typeof handWrittenChainWorkflow>('handWrittenChainWorkflow', {
      taskQueue,
      workflowId: `hand-written:${executionId}`,
      args: [input],
      searchAttributes,
    });
    await handle.result();
    return [performance.now() - t0, handle];
  };

  console.log(`(a) warming up (${WARMUP_RUNS} runs each)...`);
  for (let i = 0; i < WARMUP_RUNS; i += 1) {
    await baseline();
    await subject();
  }
  const b: { latency: number[]; handles: WorkflowHandle[] } = { latency: [], handles: [] };
  const s: { latency: number[]; handles: WorkflowHandle[] } = { latency: [], handles: [] };
  console.log(`(a) ${RUNS} runs each, interleaved...`);
  for (let i = 0; i < RUNS; i += 1) {
    // Alternate which goes first, so neither always runs right after the other.
    const order = i % 2 === 0 ? ([[baseline, b], [subject, s]] as const) : ([[subject, s], [baseline, b]] as const);
    for (const [run, into] of order) {
      const [latency, handle] = await run();
      into.latency.push(latency);
      into.handles.push(handle);
    }
  }

  const counts = async (handles: WorkflowHandle[]) => {
    const tasks: number[] = [];
    const activities: number[] = [];
    for (const handle of handles) {
      const events = (await handle.fetchHistory()).events ?? [];
      tasks.push(events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).length);
      activities.push(events.filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).length);
    }
    return { tasks, activities };
  };
  const bc = await counts(b.handles);
  const sc = await counts(s.handles);

  // Not timings: that both did the work they were meant to, or the numbers mean nothing.
  const [done] = await sql<{ succeeded: number; steps: number }[]>`
    select count(*) filter (where status = 'succeeded')::int as succeeded,
           (select count(*) from public.execution_steps st where st.execution_id = any(${subjectIds}::uuid[]))::int as steps
    from public.executions where id = any(${subjectIds}::uuid[])`;
  const [handSteps] = await sql<{ n: number }[]>`
    select count(*)::int as n from public.execution_steps where execution_id = any(${baselineIds}::uuid[]) and status = 'succeeded'`;
  if (done!.succeeded !== subjectIds.length || done!.steps !== subjectIds.length * (HTTP_NODES + 1)) {
    throw new Error(`interpreter runs: ${done!.succeeded}/${subjectIds.length} succeeded with ${done!.steps} steps`);
  }
  if (handSteps!.n !== baselineIds.length * HTTP_NODES) throw new Error(`hand-written runs recorded ${handSteps!.n} steps`);

  const spread = (values: number[]) => {
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    return lo === hi ? String(lo) : `${percentile(values, 50)} (${lo}-${hi})`;
  };
  const bm = percentile(b.latency, 50);
  const sm = percentile(s.latency, 50);
  const bt = percentile(bc.tasks, 50);
  const st = percentile(sc.tasks, 50);
  console.log('');
  console.log(`(a) interpreter overhead: trigger.manual + ${HTTP_NODES} http.request GETs to a local no-op server`);
  console.log(`    ${RUNS} runs each after ${WARMUP_RUNS} warm-up, interleaved; latency = client start -> result`);
  console.log(`    ${pad('', 32)}${lpad('median', 11)}${lpad('p90', 11)}${lpad('wf tasks/run', 14)}${lpad('activities/run', 16)}`);
  console.log(`    ${pad('baseline  hand-written workflow', 32)}${lpad(ms(bm), 11)}${lpad(ms(percentile(b.latency, 90)), 11)}${lpad(spread(bc.tasks), 14)}${lpad(spread(bc.activities), 16)}`);
  console.log(`    ${pad('subject   flow interpreter', 32)}${lpad(ms(sm), 11)}${lpad(ms(percentile(s.latency, 90)), 11)}${lpad(spread(sc.tasks), 14)}${lpad(spread(sc.activities), 16)}`);
  console.log(`    ratio     latency median subject / baseline = ${(sm / bm).toFixed(2)} (goal <= 1.2); p90 ${(percentile(s.latency, 90) / percentile(b.latency, 90)).toFixed(2)}`);
  console.log(`    ratio     workflow tasks per run subject / baseline = ${(st / bt).toFixed(2)} (goal <= 1.2)`);
  console.log('');
}

// (b) ------------------------------------------------------------------------------------------
async function webhookIngest(sql: Sql, client: Client, taskQueue: string, orgId: string, apiPort: number): Promise<void> {
  const flow = await publishFlow(
    sql,
    orgId,
    'webhook intake',
    line([
      ['hook', 'trigger.webhook', { mode: 'async' }],
      ['shape', 'data.set', { fields: { n: '{{ trigger.body.n }}' } }],
    ]),
  );
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let sent = 0;
  const postHook = () =>
    new Promise<void>((resolve, reject) => {
      const body = JSON.stringify({ n: (sent += 1) });
      const req = request(
        {
          agent,
          host: '127.0.0.1',
          port: apiPort,
          method: 'POST',
          path: `/hooks/${flow.webhookToken}`,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 202 ? resolve() : reject(new Error(`POST /hooks answered ${res.statusCode}`))));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const startNoop = async () => {
    await client.workflow.start<typeof noopWorkflow>('noopWorkflow', { taskQueue, workflowId: `noop:${randomUUID()}` });
  };

  /** Waits until the worker has run everything the last block started (nothing open anywhere). */
  const drain = async (): Promise<number> => {
    const t0 = performance.now();
    let quiet = 0;
    while (quiet < 2) {
      const [row] = await sql<{ open: number }[]>`
        select count(*)::int as open from public.executions where workflow_id = ${flow.workflowId} and status <> all(${FINAL})`;
      const { count } = await client.workflow.count('ExecutionStatus = "Running"');
      quiet = row!.open === 0 && count === 0 ? quiet + 1 : 0;
      if (performance.now() - t0 > DRAIN_LIMIT_MS) {
        console.log(`    (the worker did not catch up within ${DRAIN_LIMIT_MS / 1000} s: ${row!.open} flow runs and ${count} workflows still open)`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return performance.now() - t0;
  };

  try {
    console.log(`(b) warming up (${WARMUP_LOAD_MS / 1000} s each)...`);
    await load(WARMUP_LOAD_MS, CONCURRENCY, postHook);
    await load(WARMUP_LOAD_MS, CONCURRENCY, startNoop);
    await drain();
    const counted = async () => {
      const [row] = await sql<{ n: number; succeeded: number }[]>`
        select count(*)::int as n, count(*) filter (where status = 'succeeded')::int as succeeded
        from public.executions where workflow_id = ${flow.workflowId}`;
      return row!;
    };
    const before = await counted();

    const half = (SECONDS * 1000) / 2;
    const hooks: Load[] = [];
    const ceiling: Load[] = [];
    const drains: { hooks: number[]; ceiling: number[] } = { hooks: [], ceiling: [] };
    console.log(`(b) ${SECONDS} s each at ${CONCURRENCY} concurrent clients, in blocks of ${half / 1000} s: webhook, ceiling, ceiling, webhook...`);
    for (const side of ['hooks', 'ceiling', 'ceiling', 'hooks'] as const) {
      if (side === 'hooks') hooks.push(await load(half, CONCURRENCY, postHook));
      else ceiling.push(await load(half, CONCURRENCY, startNoop));
      drains[side].push(await drain());
    }

    const h = combine(hooks);
    const c = combine(ceiling);
    const after = await counted();
    const row = (label: string, l: Load) =>
      `    ${pad(label, 44)}${lpad(throughput(l).toFixed(1), 9)}${lpad(ms(percentile(l.latencies, 50)), 11)}${lpad(ms(percentile(l.latencies, 99)), 11)}${lpad(String(l.errors), 8)}`;
    console.log('');
    console.log(`(b) webhook ingest: POST /hooks/<token> (trigger.webhook async -> data.set) vs bare workflow starts`);
    console.log(`    ${CONCURRENCY} concurrent clients, ${SECONDS} s each (blocks A B B A, worker backlog drained between blocks)`);
    console.log(`    ${pad('', 44)}${lpad('req/s', 9)}${lpad('p50', 11)}${lpad('p99', 11)}${lpad('errors', 8)}`);
    console.log(row('subject   webhook POST /hooks/:token -> 202', h));
    console.log(row('ceiling   client.workflow.start (no-op)', c));
    console.log(`    ratio     throughput webhook / ceiling = ${(throughput(h) / throughput(c)).toFixed(2)} (goal >= 0.8)`);
    console.log(`    ratio     p50 latency webhook / ceiling = ${(percentile(h.latencies, 50) / percentile(c.latencies, 50)).toFixed(2)}`);
    console.log(`    webhook: ${h.latencies.length} accepted, ${after.n - before.n} executions recorded, ${after.succeeded - before.succeeded} of them succeeded`);
    const secs = (v: number[]) => v.map((d) => `${(d / 1000).toFixed(1)} s`).join(', ');
    console.log(`    worker caught up after the webhook blocks in ${secs(drains.hooks)}; after the ceiling blocks in ${secs(drains.ceiling)}`);
    for (const [label, l] of [['webhook', h], ['ceiling', c]] as const) {
      if (l.firstError) console.log(`    first ${label} error: ${l.firstError}`);
    }
  } finally {
    agent.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
