import { randomUUID } from 'node:crypto';
import { type Client, WorkflowFailedError } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { z } from 'zod';
import type { Sql } from '../db/client';
import type { readinessWorkflow, ReadinessResult } from '../workflows/readiness';
import { WORKFLOW_KINDS } from '../workflows/shared';

/** The wire shape of /readyz: one schema for the type, the OpenAPI document and the web app. */
export const componentStatusSchema = z
  .object({
    status: z.enum(['up', 'down', 'unknown']),
    error: z.string().optional().describe('Why the component is not up'),
    serverVersion: z.string().optional(),
    latencyMs: z.number().optional(),
    uiUrl: z.string().optional().describe('Temporal Web UI'),
    workflowId: z.string().optional().describe('The readiness workflow that made this check'),
    taskQueue: z.string().optional(),
    checkedBy: z.literal('api').optional().describe('Set when the API checked Postgres itself because no worker could'),
  })
  .loose();

export const readinessReportSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checkedAt: z.string().datetime(),
  postgres: componentStatusSchema,
  temporal: componentStatusSchema,
  worker: componentStatusSchema,
});

export type ComponentStatus = z.infer<typeof componentStatusSchema>;
export type ReadinessReport = z.infer<typeof readinessReportSchema>;

export interface ReadinessDeps {
  sql: Sql;
  temporal: Client;
  taskQueue: string;
  temporalUiUrl: string;
  timeoutMs: number;
  cacheMs: number;
}

const KIND = defineSearchAttributeKey('Kind', SearchAttributeType.KEYWORD);

/**
 * Answers /readyz by sending the readiness workflow through Temporal to a worker whose activity
 * queries Postgres. Results are cached briefly and concurrent callers share one check, so a
 * load balancer polling every second does not start a workflow per request.
 */
export class ReadinessChecker {
  private cached?: { at: number; report: ReadinessReport };
  private inflight?: Promise<ReadinessReport>;

  constructor(private readonly deps: ReadinessDeps) {}

  async check(): Promise<ReadinessReport> {
    if (this.cached && Date.now() - this.cached.at < this.deps.cacheMs) return this.cached.report;
    this.inflight ??= this.run().finally(() => {
      this.inflight = undefined;
    });
    const report = await this.inflight;
    this.cached = { at: Date.now(), report };
    return report;
  }

  private async run(): Promise<ReadinessReport> {
    const temporal = await this.checkTemporal();
    let worker: ComponentStatus = { status: 'unknown', error: 'Temporal is not reachable' };
    let postgres: ComponentStatus | undefined;
    if (temporal.status === 'up') {
      const viaWorker = await this.runReadinessWorkflow();
      worker = viaWorker.worker;
      postgres = viaWorker.postgres;
      if (viaWorker.startError) Object.assign(temporal, { status: 'down', error: viaWorker.startError });
    }
    // Without a worker the API still tells whether *it* reaches Postgres.
    postgres ??= await this.checkPostgresDirectly();
    const ready = [postgres, temporal, worker].every((c) => c.status === 'up');
    return { status: ready ? 'ready' : 'not_ready', checkedAt: new Date().toISOString(), postgres, temporal, worker };
  }

  private async checkTemporal(): Promise<ComponentStatus> {
    const { connection } = this.deps.temporal;
    try {
      const info = await connection.withDeadline(Date.now() + this.deps.timeoutMs, () =>
        connection.workflowService.getSystemInfo({}),
      );
      return { status: 'up', serverVersion: info.serverVersion, uiUrl: this.deps.temporalUiUrl };
    } catch (err) {
      return { status: 'down', error: `Temporal is not reachable: ${message(err)}`, uiUrl: this.deps.temporalUiUrl };
    }
  }

  private async runReadinessWorkflow(): Promise<{
    worker: ComponentStatus;
    postgres?: ComponentStatus;
    startError?: string;
  }> {
    const workflowId = `readiness:${randomUUID()}`;
    let handle;
    try {
      handle = await this.deps.temporal.workflow.start<typeof readinessWorkflow>('readinessWorkflow', {
        workflowId,
        taskQueue: this.deps.taskQueue,
        // A readiness run nobody picks up must not linger: it times out on its own.
        workflowExecutionTimeout: '1 minute',
        typedSearchAttributes: [{ key: KIND, value: WORKFLOW_KINDS.readiness }],
      });
    } catch (err) {
      const startError = `could not start the readiness workflow: ${message(err)}`;
      return { worker: { status: 'unknown', error: startError }, startError };
    }
    // Aborting cancels the long-poll on the server too; a plain timeout race would leave it running.
    const signal = AbortSignal.timeout(this.deps.timeoutMs);
    try {
      const outcome: ReadinessResult = await this.deps.temporal.withAbortSignal(signal, () => handle.result());
      return { worker: { status: 'up', workflowId, taskQueue: this.deps.taskQueue }, postgres: outcome.postgres };
    } catch (err) {
      if (signal.aborted) {
        return {
          worker: {
            status: 'down',
            error: `no worker completed the readiness workflow within ${this.deps.timeoutMs} ms on task queue "${this.deps.taskQueue}"`,
            workflowId,
          },
        };
      }
      const detail = err instanceof WorkflowFailedError ? (err.cause?.message ?? err.message) : message(err);
      return { worker: { status: 'down', error: `readiness workflow failed: ${detail}`, workflowId } };
    }
  }

  private async checkPostgresDirectly(): Promise<ComponentStatus> {
    try {
      const [row] = await this.deps.sql<{ server_version: string }[]>`select current_setting('server_version') as server_version`;
      return { status: 'up', serverVersion: row?.server_version, checkedBy: 'api' };
    } catch (err) {
      return { status: 'down', error: `PostgreSQL is not reachable: ${message(err)}`, checkedBy: 'api' };
    }
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
