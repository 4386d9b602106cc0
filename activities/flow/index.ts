import { Context, log } from '@temporalio/activity';
import type { Sql } from '../../db/client';
import { isDatabaseUnavailable } from '../../db/unavailable';
import type { StepContext, StepRecord } from '../../workflows/flow/steps';
import { createExecutionActivities } from '../db/executions';
import { type HttpDeps, httpRequest, type HttpRequestConfig } from './http-request';
import { type ExtractReceiptConfig, extractReceiptFromUrl } from './extract-receipt';
import { type LlmChatConfig, type LlmDeps, llmChat } from './llm-chat';
import { createChildExecutionActivities } from './child-executions';
import type { GhlAccessSettings } from '../integrations/ghl-access';
import { type GhlActionConfig, ghlAction } from './ghl-actions';

/** Node outputs above this size are kept in execution_payloads, not in the workflow history. */
export const HISTORY_VALUE_LIMIT_BYTES = 512 * 1024;
/** Time left for the activity to report back after its last bookkeeping attempt. */
const BOOKKEEPING_MARGIN_MS = 2000;

/** What a node's output becomes when it is too big for the history. */
export interface LargeOutputRef {
  truncated: true;
  bytes: number;
  payloadId: string;
  preview: string;
}

export interface FlowActivityDeps {
  sql: Sql;
  http: HttpDeps;
  llm: LlmDeps;
  /** Where GHL is and how to open the organization's sealed credentials (GHL nodes). */
  ghl: GhlAccessSettings;
  /** The vision model ai.extractReceipt uses unless its config names one. */
  receipts?: { model: string };
}

/**
 * The activities the flow interpreter calls. I/O nodes record their own step (every attempt),
 * so a flow costs no bookkeeping activity per I/O node; other nodes' steps arrive in batches.
 */
export function createFlowActivities(deps: FlowActivityDeps) {
  const records = createExecutionActivities({ sql: deps.sql });

  /**
   * Step bookkeeping while the database is briefly away (a restart, a failover): retried with
   * backoff, heartbeating, until shortly before this attempt's deadline, instead of failing the
   * node and spending one of its retries, or worse, repeating a call that already happened.
   */
  async function bookkeeping<T>(write: () => Promise<T>): Promise<T> {
    const context = Context.current();
    const deadline = context.info.currentAttemptScheduledTimestampMs + context.info.startToCloseTimeoutMs - BOOKKEEPING_MARGIN_MS;
    for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
      try {
        return await write();
      } catch (err) {
        if (!isDatabaseUnavailable(err) || Date.now() + delay > deadline) throw err;
        context.heartbeat();
        await context.sleep(delay);
      }
    }
  }

  /**
   * Runs an I/O node with its step row written before and after each attempt. An output too big
   * for Temporal's history (payloads are capped at 2 MB) stays in Postgres: the run gets a
   * reference with a preview instead.
   */
  async function recorded<C, R>(ctx: StepContext, config: C, run: () => Promise<R>): Promise<R | LargeOutputRef> {
    const attempt = Context.current().info.attempt;
    const base = { orgId: ctx.orgId, executionId: ctx.executionId, nodeId: ctx.nodeId, iteration: ctx.iteration };
    // Before the call: failing here is safe to retry (nothing has happened yet).
    await bookkeeping(async () => {
      if (ctx.running) await records.markExecution({ orgId: ctx.orgId, executionId: ctx.executionId, status: 'running', temporalRunId: ctx.running.temporalRunId });
      await records.recordStepStarted({ ...base, nodeType: ctx.nodeType, attempt, input: config });
    });
    let output: R;
    try {
      output = await run();
    } catch (err) {
      // The node's own failure is what counts: a database outage while noting it must not replace it.
      await bookkeeping(() => records.recordStepFinished({ ...base, status: 'failed', error: { message: (err as Error).message, type: (err as Error).name } })).catch(
        (recordErr: unknown) => log.warn('could not record a failed step', { nodeId: ctx.nodeId, error: (recordErr as Error).message }),
      );
      throw err;
    }
    const json = JSON.stringify(output) ?? 'null';
    const bytes = Buffer.byteLength(json);
    let finished: { payloadId?: string | null };
    try {
      finished = await bookkeeping(() => records.recordStepFinished({ ...base, status: 'succeeded', output }));
    } catch (err) {
      // The call happened: failing now would make Temporal run it again (a second message, a
      // second charge). A small output goes on without its step row; only one too big for the
      // history, which needs the database to hold it, cannot.
      if (bytes > HISTORY_VALUE_LIMIT_BYTES) throw err;
      log.warn('step succeeded but could not be recorded; the run goes on', { nodeId: ctx.nodeId, error: (err as Error).message });
      return output;
    }
    if (bytes > HISTORY_VALUE_LIMIT_BYTES) {
      const payloadId = finished.payloadId ?? (await bookkeeping(() => records.storePayload({ orgId: ctx.orgId, executionId: ctx.executionId, data: output }))).payloadId;
      return { truncated: true, bytes, payloadId, preview: json.slice(0, 1024) };
    }
    return output;
  }

  interface StepBatch {
    orgId: string;
    executionId: string;
    steps: StepRecord[];
    running?: { temporalRunId: string };
  }

  async function writeSteps(input: StepBatch): Promise<void> {
    if (input.running) await records.markExecution({ orgId: input.orgId, executionId: input.executionId, status: 'running', temporalRunId: input.running.temporalRunId });
    for (const step of input.steps) {
      const base = { orgId: input.orgId, executionId: input.executionId, nodeId: step.nodeId, iteration: step.iteration };
      await records.recordStepStarted({ ...base, nodeType: step.nodeType, attempt: step.attempt, input: step.input });
      await records.recordStepFinished({ ...base, status: step.status, output: step.output, error: step.error });
    }
  }

  return {
    httpRequest: (ctx: StepContext, config: HttpRequestConfig) => recorded(ctx, config, () => httpRequest(deps.http, ctx, config)),
    llmChat: (ctx: StepContext, config: LlmChatConfig) => recorded(ctx, config, () => llmChat(deps.llm, ctx, config)),
    extractReceipt: (ctx: StepContext, config: ExtractReceiptConfig) =>
      recorded(ctx, config, () => extractReceiptFromUrl({ http: deps.http, llm: deps.llm, model: deps.receipts?.model ?? 'gpt-4o-mini' }, ctx, config)),
    ghlAction: (ctx: StepContext, config: GhlActionConfig) => recorded(ctx, config, () => ghlAction({ sql: deps.sql, ghl: deps.ghl }, ctx, config)),
    markExecution: records.markExecution,
    ...createChildExecutionActivities({ sql: deps.sql }),
    /** Steps of in-workflow nodes, written in one activity. */
    async recordSteps(input: StepBatch): Promise<void> {
      await writeSteps(input);
    },
    /** The run's last bookkeeping: its remaining steps and its final status, in one activity. */
    async completeRun(input: StepBatch & { status: 'succeeded' | 'failed' | 'cancelled'; output?: unknown; error?: unknown }): Promise<void> {
      await writeSteps(input);
      await records.markExecution({ orgId: input.orgId, executionId: input.executionId, status: input.status, output: input.output, error: input.error });
    },
  };
}

export type FlowActivities = ReturnType<typeof createFlowActivities>;

/**
 * I/O settings for local tools (benchmarks, history recording, tests): fakes listen on
 * 127.0.0.1, so private addresses are allowed, and no real LLM is configured.
 */
export const LOCAL_IO: Pick<FlowActivityDeps, 'http' | 'llm'> = {
  http: { allowPrivateNetworks: true, maxResponseBytes: 5 * 1024 * 1024 },
  llm: { baseURL: 'http://127.0.0.1:9/v1', apiKey: 'not-configured', timeoutMs: 10_000 },
};
