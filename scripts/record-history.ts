// Records real workflow histories into test/histories/ for the replay test, which guards
// workflow determinism: when a workflow's code changes incompatibly, replaying these fails.
// Run after adding or deliberately changing a workflow (use patched() for running ones):
//   node --import tsx scripts/record-history.ts [part of a file name: only those]
import { LOCAL_IO } from '../activities/flow';
import { createHash, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { NativeConnection } from '@temporalio/worker';
import { createSql, type Sql } from '../db/client';
import { startFakeGhl, type FakeGhl } from '../fakes/ghl';
import { startFakeLlm, type FakeLlm } from '../fakes/llm';
import { compile } from '../flows/compiler';
import { createWorker } from '../workers/worker';
import { channelHumanReply, channelInbound, conversationContinuedAsNew, conversationGraph, conversationTurns, type DriveContext, type DrivenRun, RECORDING_KEY_RING } from './lib/bot-scenarios';
import { startEphemeralStack } from './lib/ephemeral-stack';
import { RECORDING_RECEIPTS, receiptReviewConfirm } from './lib/receipt-scenarios';
import { ROOT } from './lib/launcher-env';
import { say } from './lib/progress';

const OUT = path.join(ROOT, 'test', 'histories');

type Scenario = {
  file: string;
  /** The database the worker sees: the real one, or none (the failure path). */
  database: 'up' | 'down';
} & (
  | {
      workflowType: string;
      /** The workflow's arguments; may create the rows it needs first. */
      args: (sql: Sql) => Promise<unknown[]>;
    }
  | {
      /** Starts the workflow and talks to it (updates, signals) until it is done; the run to record. */
      drive: (ctx: DriveContext) => Promise<DrivenRun>;
    }
);

/**
 * A flow that exercises the interpreter's scheduling: branches taken and skipped, a timer, a
 * loop running iterations concurrently, a merge, and steps flushed in batches.
 */
const SAMPLE_FLOW = {
  nodes: [
    { id: 'start', type: 'trigger.manual', position: { x: 0, y: 0 }, data: {} },
    { id: 'shape', type: 'data.set', position: { x: 1, y: 0 }, data: { fields: { items: '{{ trigger.body.items }}', big: '{{ trigger.body.amount > 100 }}' } } },
    { id: 'check', type: 'logic.if', position: { x: 2, y: 0 }, data: { condition: '{{ nodes.shape.output.big }}' } },
    { id: 'pause', type: 'wait.delay', position: { x: 3, y: 0 }, data: { duration: '1s' } },
    { id: 'small', type: 'data.set', position: { x: 3, y: 1 }, data: { fields: { small: true } } },
    { id: 'each', type: 'logic.loop', position: { x: 4, y: 0 }, data: { items: '{{ nodes.shape.output.items }}', concurrency: 2 } },
    { id: 'double', type: 'data.set', position: { x: 5, y: 0 }, data: { fields: { value: '{{ vars.item * 2 }}' } } },
    { id: 'side', type: 'data.set', position: { x: 4, y: 1 }, data: { fields: { side: 'branch' } } },
    { id: 'join', type: 'logic.merge', position: { x: 6, y: 0 }, data: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'shape' },
    { id: 'e2', source: 'shape', target: 'check' },
    { id: 'e3', source: 'check', target: 'pause', sourceHandle: 'true' },
    { id: 'e4', source: 'check', target: 'small', sourceHandle: 'false' },
    { id: 'e5', source: 'pause', target: 'each' },
    { id: 'e6', source: 'each', target: 'double', sourceHandle: 'body' },
    { id: 'e7', source: 'shape', target: 'side' },
    { id: 'e8', source: 'each', target: 'join', sourceHandle: 'done' },
    { id: 'e9', source: 'side', target: 'join' },
  ],
};

async function flowRunArgs(sql: Sql): Promise<unknown[]> {
  const result = compile(SAMPLE_FLOW, { hash: (s) => createHash('sha256').update(s).digest('hex') });
  if (!result.ok) throw new Error(`sample flow does not compile: ${JSON.stringify(result.problems)}`);
  const [org] = await sql<{ id: string }[]>`insert into public.organizations (name, slug) values ('Recording', ${`recording-${randomUUID().slice(0, 8)}`}) returning id`;
  const [wf] = await sql<{ id: string }[]>`insert into public.workflows (organization_id, name, definition) values (${org!.id}, 'Sample', ${sql.json(SAMPLE_FLOW)}) returning id`;
  const [version] = await sql<{ id: string; version: number }[]>`
    insert into public.workflow_versions (organization_id, workflow_id, definition, ir, hash)
    values (${org!.id}, ${wf!.id}, ${sql.json(SAMPLE_FLOW)}, ${sql.json(result.ir as never)}, ${result.ir.hash}) returning id, version`;
  const trigger = { body: { amount: 250, items: [1, 2, 3] } };
  const [execution] = await sql<{ id: string }[]>`
    insert into public.executions (organization_id, workflow_id, version_id, version, trigger_type, input)
    values (${org!.id}, ${wf!.id}, ${version!.id}, ${version!.version}, 'manual', ${sql.json(trigger)}) returning id`;
  return [{ orgId: org!.id, workflowId: wf!.id, executionId: execution!.id, versionId: version!.id, version: version!.version, ir: result.ir, trigger }];
}

/** An organization whose rep earns 10% and whose commissions up to 1,000.00 USD approve themselves. */
async function commissionOrg(sql: Sql): Promise<{ orgId: string; teamMemberId: string }> {
  const [org] = await sql<{ id: string }[]>`insert into public.organizations (name, slug) values ('Recording', ${`recording-${randomUUID().slice(0, 8)}`}) returning id`;
  const [rep] = await sql<{ id: string }[]>`
    insert into public.team_members (organization_id, full_name, commission_rate_bps, commission_type) values (${org!.id}, 'Rep', 1000, 'percentage') returning id`;
  await sql`insert into public.commission_settings (organization_id, auto_approve_max_minor, auto_approve_currency) values (${org!.id}, 100000, 'USD')`;
  return { orgId: org!.id, teamMemberId: rep!.id };
}

async function commissionArgs(sql: Sql): Promise<unknown[]> {
  const { orgId, teamMemberId } = await commissionOrg(sql);
  const sale = { source: 'api', externalId: `rec-${randomUUID()}`, amountMinor: 123_456, currency: 'USD', paidAt: new Date().toISOString(), teamMemberId };
  return [{ orgId, sale }];
}

async function payoutArgs(sql: Sql): Promise<unknown[]> {
  const { orgId, teamMemberId } = await commissionOrg(sql);
  const [sale] = await sql<{ id: string }[]>`
    insert into public.sales_transactions (organization_id, source, external_id, team_member_id, amount_minor, currency, paid_at)
    values (${orgId}, 'api', 'rec-sale', ${teamMemberId}, 10000, 'USD', now()) returning id`;
  const [calc] = await sql<{ id: string }[]>`
    insert into public.commission_calculations (organization_id, transaction_id, team_member_id, amount_minor, currency)
    values (${orgId}, ${sale!.id}, ${teamMemberId}, 1000, 'USD') returning id`;
  await sql`update public.commission_calculations set status = 'approved' where id = ${calc!.id}`;
  await sql`update public.commission_calculations set status = 'payable' where id = ${calc!.id}`;
  return [{ orgId }];
}

const SCENARIOS: Scenario[] = [
  { file: 'readiness-postgres-up.json', workflowType: 'readinessWorkflow', args: async () => [], database: 'up' },
  { file: 'readiness-postgres-down.json', workflowType: 'readinessWorkflow', args: async () => [], database: 'down' },
  { file: 'flow-interpreter-branches-loop-delay.json', workflowType: 'flowInterpreterWorkflow', args: flowRunArgs, database: 'up' },
  { file: 'commission-auto-approved.json', workflowType: 'commissionWorkflow', args: commissionArgs, database: 'up' },
  { file: 'commission-payout-schedule.json', workflowType: 'payoutScheduleWorkflow', args: payoutArgs, database: 'up' },
  { file: 'bot-conversation-tools-handoff-close.json', drive: conversationTurns, database: 'up' },
  { file: 'bot-conversation-continued-as-new.json', drive: conversationContinuedAsNew, database: 'up' },
  { file: 'bot-channel-inbound-reply.json', drive: channelInbound, database: 'up' },
  { file: 'bot-channel-human-reply.json', drive: channelHumanReply, database: 'up' },
  { file: 'bot-conversation-graph-debounce-goals.json', drive: conversationGraph, database: 'up' },
  { file: 'receipt-review-confirm.json', drive: receiptReviewConfirm, database: 'up' },
];

/** What bot conversations call instead of OpenAI and GHL while recording. */
interface Fakes {
  llm: FakeLlm;
  ghl: FakeGhl;
}

async function record(address: string, goodSql: Sql, fakes: Fakes, scenario: Scenario): Promise<void> {
  const taskQueue = `record-${scenario.file}`;
  const sql = scenario.database === 'up' ? goodSql : createSql('postgres://postgres:x@127.0.0.1:9/none', { max: 1 });
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await createWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    sql,
    ...LOCAL_IO,
    llm: { ...LOCAL_IO.llm, baseURL: fakes.llm.url, apiKey: fakes.llm.apiKey },
    ghl: { keyRing: RECORDING_KEY_RING, baseUrl: fakes.ghl.url, oauth: undefined },
    receipts: { storage: RECORDING_RECEIPTS, model: 'flowline-sandbox' },
  });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  let run: DrivenRun;
  if ('drive' in scenario) {
    run = await worker.runUntil(scenario.drive({ client, taskQueue, sql: goodSql, ghl: fakes.ghl }));
  } else {
    run = { workflowId: `record:${scenario.file}` };
    const args = await scenario.args(goodSql);
    await worker.runUntil(client.workflow.execute(scenario.workflowType, { workflowId: run.workflowId, taskQueue, args }));
  }
  const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
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
  const fakes: Fakes = { llm: await startFakeLlm(), ghl: await startFakeGhl({ seed: { contacts: 10 } }) };
  try {
    const only = process.argv[2];
    for (const scenario of SCENARIOS.filter((sc) => !only || sc.file.includes(only))) await record(stack.temporalAddress, stack.sql, fakes, scenario);
  } finally {
    await fakes.ghl.close();
    await fakes.llm.close();
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
