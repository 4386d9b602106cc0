import { Context } from '@temporalio/activity';
import type { Sql } from '../../db/client';
import type { StepContext, StepRecord } from '../../workflows/flow/steps';
import { createExecutionActivities } from '../db/executions';
import { type HttpDeps, httpRequest, type HttpRequestConfig } from './http-request';
import { type LlmChatConfig, type LlmDeps, llmChat } from './llm-chat';
import { createChildExecutionActivities } from './child-executions';

export interface FlowActivityDeps {
  sql: Sql;
  http: HttpDeps;
  llm: LlmDeps;
}

/**
 * The activities the flow interpreter calls. I/O nodes record their own step (every attempt),
 * so a flow costs no bookkeeping activity per I/O node; other nodes' steps arrive in batches.
 */
export function createFlowActivities(deps: FlowActivityDeps) {
  const records = createExecutionActivities({ sql: deps.sql });

  /** Runs an I/O node with its step row written before and after each attempt. */
  async function recorded<C, R>(ctx: StepContext, config: C, run: () => Promise<R>): Promise<R> {
    const attempt = Context.current().info.attempt;
    const base = { orgId: ctx.orgId, executionId: ctx.executionId, nodeId: ctx.nodeId, iteration: ctx.iteration };
    await records.recordStepStarted({ ...base, nodeType: ctx.nodeType, attempt, input: config });
    try {
      const output = await run();
      await records.recordStepFinished({ ...base, status: 'succeeded', output });
      return output;
    } catch (err) {
      await records.recordStepFinished({ ...base, status: 'failed', error: { message: (err as Error).message, type: (err as Error).name } });
      throw err;
    }
  }

  return {
    httpRequest: (ctx: StepContext, config: HttpRequestConfig) => recorded(ctx, config, () => httpRequest(deps.http, ctx, config)),
    llmChat: (ctx: StepContext, config: LlmChatConfig) => recorded(ctx, config, () => llmChat(deps.llm, ctx, config)),
    markExecution: records.markExecution,
    ...createChildExecutionActivities({ sql: deps.sql }),
    /** Steps of in-workflow nodes, written in one activity. */
    async recordSteps(input: { orgId: string; executionId: string; steps: StepRecord[] }): Promise<void> {
      for (const step of input.steps) {
        const base = { orgId: input.orgId, executionId: input.executionId, nodeId: step.nodeId, iteration: step.iteration };
        await records.recordStepStarted({ ...base, nodeType: step.nodeType, attempt: step.attempt, input: step.input });
        await records.recordStepFinished({ ...base, status: step.status, output: step.output, error: step.error });
      }
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
