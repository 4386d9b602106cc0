// What does a bot turn cost on top of Temporal? C contacts (default 200) each talk to their own
// conversation at once, through the API's update-with-start (sendBotMessage): message in -> reply
// out, with a fake LLM answering at once, so the time is the platform's (the update, the turn's
// activities: store the message, build the prompt, call the model, store the reply). Each contact
// sends one message to start its conversation (not measured), then T measured messages back to
// back. Baseline, same server, same worker, same concurrency: update-with-start on a workflow whose
// update handler returns its argument (no activity). Printed: median and p99 of both and their
// ratios. Goals: none set; ratios are printed, never enforced.
//   node --import tsx bench/bots.ts [contacts] [turns]      (npm run bench:bots)
//     contacts  concurrent contacts (default 200)         env BENCH_CONTACTS
//     turns     measured messages per contact (default 5) env BENCH_TURNS
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { LOCAL_IO } from '../activities/flow';
import { sendBotMessage } from '../api/bots/conversation';
import { createSql, type Sql } from '../db/client';
import { startFakeLlm } from '../fakes/llm';
import { enableAppLogin } from '../scripts/lib/app-login';
import { startEphemeralStack } from '../scripts/lib/ephemeral-stack';
import { freePort } from '../scripts/lib/ports';
import { createWorker } from '../workers/worker';
import { echoUpdate, type echoWorkflow } from './workflows/bots';

const CONTACTS = positive(process.argv[2] ?? process.env.BENCH_CONTACTS, 200);
const TURNS = positive(process.argv[3] ?? process.env.BENCH_TURNS, 5);

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
}

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

interface Round {
  latencies: number[];
  errors: number;
  firstError?: string;
  elapsedMs: number;
}

/** Every contact at once: one unmeasured message (starts its workflow), then `turns` measured ones, back to back. */
async function round(contacts: string[], turns: number, send: (contact: string, i: number) => Promise<unknown>): Promise<Round> {
  const result: Round = { latencies: [], errors: 0, elapsedMs: 0 };
  const attempt = async (contact: string, i: number, measured: boolean) => {
    const t0 = performance.now();
    try {
      await send(contact, i);
      if (measured) result.latencies.push(performance.now() - t0);
    } catch (err) {
      result.errors += 1;
      result.firstError ??= err instanceof Error ? err.message : String(err);
    }
  };
  await Promise.all(contacts.map((c) => attempt(c, 0, false)));
  const start = performance.now();
  await Promise.all(
    contacts.map(async (c) => {
      for (let i = 1; i <= turns; i += 1) await attempt(c, i, true);
    }),
  );
  result.elapsedMs = performance.now() - start;
  return result;
}

async function main(): Promise<number> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const closers: { what: string; close: () => Promise<unknown> }[] = [];
  const onExit = (what: string, close: () => Promise<unknown>) => closers.push({ what, close });
  try {
    console.log('starting Postgres, the Temporal dev server and a fake LLM, bundling workflows...');
    const stack = await startEphemeralStack('bench-bots');
    onExit('stack', () => stack.stop());
    const appUrl = await enableAppLogin(stack.sql, stack.databaseUrl, randomBytes(18).toString('base64url'));
    const workerSql = createSql(appUrl, { applicationName: 'flowline-worker' });
    onExit('worker pool', () => workerSql.end());
    const llm = await startFakeLlm();
    onExit('fake LLM', () => llm.close());

    const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('./workflows/bots'), logger: new DefaultLogger('ERROR') });
    const nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
    onExit('worker connection', () => nativeConnection.close());
    const taskQueue = 'bench-bots';
    // Bots without tools never call GHL: a call would fail at once on a port nobody serves.
    const ghl = { keyRing: undefined, baseUrl: `http://127.0.0.1:${await freePort()}`, oauth: undefined };
    const llmDeps = { ...LOCAL_IO.llm, baseURL: llm.url, apiKey: llm.apiKey };
    const worker = await createWorker({ connection: nativeConnection, namespace: 'default', taskQueue, sql: workerSql, ...LOCAL_IO, llm: llmDeps, ghl, workflowBundle: { code } });
    const connection = await Connection.connect({ address: stack.temporalAddress });
    onExit('client connection', () => connection.close());
    const client = new Client({ connection });

    await worker.runUntil(() => run(stack.sql, client, taskQueue, () => llm.requests.length));
    return 0;
  } finally {
    for (const { what, close } of closers.reverse()) {
      await close().catch((err: unknown) => console.error(`closing the ${what} failed:`, err));
    }
  }
}

/**
 * An organization with a tool-less auto bot (one model call per turn) and `n` contacts. Its
 * debounce window is 0: the window is a wait the bot's owner chooses, not the platform's cost.
 */
async function botOrg(sql: Sql, n: number): Promise<{ orgId: string; botId: string; contacts: string[] }> {
  const [org] = await sql<{ id: string }[]>`insert into public.organizations (name, slug) values ('Bench bots', ${`bench-bots-${randomUUID().slice(0, 8)}`}) returning id`;
  const orgId = org!.id;
  const [bot] = await sql<{ id: string }[]>`
    insert into public.bots (organization_id, name, mode, persona, guardrails, reply_debounce_ms)
    values (${orgId}, 'Front desk', 'auto', 'A friendly front desk assistant.', ${sql.json({ allowedTools: [] })}, 0) returning id`;
  const rows = await sql<{ id: string }[]>`
    insert into public.contacts (organization_id, ghl_contact_id, name)
    select ${orgId}, 'bench-' || g, 'Contact ' || g from generate_series(1, ${n}::int) g returning id`;
  return { orgId, botId: bot!.id, contacts: rows.map((r) => r.id) };
}

async function run(sql: Sql, client: Client, taskQueue: string, llmCalls: () => number): Promise<void> {
  const { orgId, botId, contacts } = await botOrg(sql, CONTACTS);
  const services = { temporal: client, taskQueue } as Parameters<typeof sendBotMessage>[0];
  const bare = (contact: string, i: number) => {
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof echoWorkflow>('echoWorkflow', {
      workflowId: `echo:${contact}`,
      taskQueue,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      args: [],
    });
    return client.workflow.executeUpdateWithStart(echoUpdate, { args: [`message ${i}`], startWorkflowOperation });
  };
  let replies = 0;
  const bot = async (contact: string, i: number) => {
    const result = await sendBotMessage(services, { orgId, botId, contactId: contact, channel: 'web', text: `Message ${i}: what are your opening hours?` });
    if (!result.reply) throw new Error(`no reply (status ${result.status})`);
    replies += 1;
  };

  // Warm-up: a few contacts of their own through both paths (worker caches, JIT, pools).
  const warm = await botOrg(sql, 10);
  console.log('warming up...');
  await round(warm.contacts.map((c) => `warm-${c}`), 2, bare);
  await round(warm.contacts, 2, (c, i) => sendBotMessage(services, { orgId: warm.orgId, botId: warm.botId, contactId: c, channel: 'web', text: `Warm-up ${i}` }));

  console.log(`baseline: ${CONTACTS} contacts x ${TURNS} updates on a workflow answering at once...`);
  const base = await round(contacts, TURNS, bare);
  console.log(`bots: ${CONTACTS} contacts x ${TURNS} messages through update-with-start...`);
  const calls0 = llmCalls();
  const subject = await round(contacts, TURNS, bot);

  const row = (label: string, r: Round) =>
    `    ${label.padEnd(36)}${String(r.latencies.length).padStart(7)}${ms(percentile(r.latencies, 50)).padStart(11)}${ms(percentile(r.latencies, 99)).padStart(11)}${(r.latencies.length / (r.elapsedMs / 1000)).toFixed(1).padStart(9)}${String(r.errors).padStart(7)}`;
  console.log('');
  console.log(`bot turn latency, message in -> reply out: ${CONTACTS} concurrent contacts, ${TURNS} measured messages each, fake LLM answering at once`);
  console.log(`    ${''.padEnd(36)}${'n'.padStart(7)}${'p50'.padStart(11)}${'p99'.padStart(11)}${'per s'.padStart(9)}${'errors'.padStart(7)}`);
  console.log(row('baseline  update-with-start, echo', base));
  console.log(row('subject   bot turn (sendBotMessage)', subject));
  console.log(`    ratio     p50 subject / baseline = ${(percentile(subject.latencies, 50) / percentile(base.latencies, 50)).toFixed(2)}`);
  console.log(`    ratio     p99 subject / baseline = ${(percentile(subject.latencies, 99) / percentile(base.latencies, 99)).toFixed(2)} (no goal set)`);
  console.log(`    model calls during the bot round: ${llmCalls() - calls0} for ${replies} replies (the first message of each contact included)`);
  for (const [label, r] of [['baseline', base], ['bot', subject]] as const) {
    if (r.firstError) console.log(`    first ${label} error: ${r.firstError}`);
  }
  console.log('');
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
