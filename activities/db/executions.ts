import type { Sql } from '../../db/client';
import type { Tx } from '../../db/tenant';
import { asWorker, notFound, toJsonText } from './support';

/*
 * What the flow interpreter records about a run: the execution's status, one row per node run
 * (per loop iteration), and payloads too large for Temporal's history. Every activity acts as
 * the worker role for the organization it is given, so RLS refuses rows of any other one.
 */

export type ExecutionStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
export type StepStatus = 'running' | 'succeeded' | 'failed' | 'skipped' | 'waiting' | 'cancelled';

/** A run in one of these never changes status again (the database enforces it too). */
export const FINAL_EXECUTION_STATUSES: readonly ExecutionStatus[] = ['succeeded', 'failed', 'cancelled'];
const FINAL_STEP_STATUSES: readonly StepStatus[] = ['succeeded', 'failed', 'skipped', 'cancelled'];

/** Step inputs and outputs above this many bytes (as JSON) are kept in execution_payloads. */
export const STEP_VALUE_LIMIT_BYTES = 64 * 1024;
/** How much of a truncated value the step row keeps, as text. */
export const PREVIEW_BYTES = 1024;

/** What a step row holds instead of a value over STEP_VALUE_LIMIT_BYTES. */
export interface TruncatedValue {
  truncated: true;
  /** Size of the full value as JSON, in bytes. */
  bytes: number;
  /** The first PREVIEW_BYTES bytes of its JSON text. */
  preview: string;
  /** Where the full value is: loadPayload({ orgId, payloadId }). */
  payloadId: string;
}

export interface MarkExecutionInput {
  orgId: string;
  executionId: string;
  status: ExecutionStatus;
  /** Set when given (null clears); left as is when absent. */
  output?: unknown;
  error?: unknown;
  temporalRunId?: string;
}

export interface MarkExecutionResult {
  /** The status the execution has now. */
  status: ExecutionStatus;
  /** False when the execution had already finished: a final status is never moved back. */
  changed: boolean;
}

export interface RecordStepStartedInput {
  orgId: string;
  executionId: string;
  nodeId: string;
  nodeType: string;
  /** Loop iteration key ("loop1:3"); '' outside loops. */
  iteration: string;
  attempt: number;
  input: unknown;
}

export interface RecordStepStartedResult {
  stepId: string;
  /** Set when the input was over STEP_VALUE_LIMIT_BYTES: the row holds a TruncatedValue. */
  inputPayloadId?: string;
}

export interface RecordStepFinishedInput {
  orgId: string;
  executionId: string;
  nodeId: string;
  iteration: string;
  status: Exclude<StepStatus, 'running'>;
  output?: unknown;
  error?: unknown;
}

export interface RecordStepFinishedResult {
  /** Set when the output was over STEP_VALUE_LIMIT_BYTES: the row holds a TruncatedValue. */
  payloadId?: string;
}

export interface StorePayloadInput {
  orgId: string;
  executionId: string;
  data: unknown;
}

export interface StorePayloadResult {
  payloadId: string;
}

export interface LoadPayloadInput {
  orgId: string;
  payloadId: string;
}

/** The first `limit` bytes of `text`, never ending in half a character. */
function utf8Prefix(text: string, limit: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= limit) return text;
  let end = limit;
  // Step back over continuation bytes (10xxxxxx) to the start of the cut character.
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

async function insertPayload(tx: Tx, orgId: string, executionId: string, json: string): Promise<string> {
  const [row] = await tx<{ id: string }[]>`
    insert into public.execution_payloads (organization_id, execution_id, data, bytes)
    values (${orgId}, ${executionId}, ${json}::text::jsonb, ${Buffer.byteLength(json, 'utf8')})
    returning id`;
  return row!.id;
}

/**
 * The JSON text a step row stores for `value`: the value itself, or, when it is too large, a
 * TruncatedValue pointing at a payload that holds all of it.
 */
async function boundedJson(
  tx: Tx, orgId: string, executionId: string, value: unknown,
): Promise<{ json: string | null; payloadId?: string }> {
  const json = toJsonText(value);
  if (json === null) return { json: null };
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes <= STEP_VALUE_LIMIT_BYTES) return { json };
  const payloadId = await insertPayload(tx, orgId, executionId, json);
  const marker: TruncatedValue = { truncated: true, bytes, preview: utf8Prefix(json, PREVIEW_BYTES), payloadId };
  return { json: toJsonText(marker), payloadId };
}

export function createExecutionActivities(deps: { sql: Sql }) {
  const { sql } = deps;
  return {
    /**
     * Moves an execution to `status`. The database stamps started_at when it starts running and
     * finished_at when it reaches a final status. An execution that already finished keeps its
     * status (e.g. cancelled by a user while the run was failing): `changed` is then false.
     */
    async markExecution(input: MarkExecutionInput): Promise<MarkExecutionResult> {
      const { orgId, executionId, status } = input;
      return asWorker(sql, orgId, async (tx) => {
        const [updated] = await tx<{ status: ExecutionStatus }[]>`
          update public.executions set
            status = ${status},
            output = case when ${input.output !== undefined} then ${toJsonText(input.output)}::text::jsonb else output end,
            error = case when ${input.error !== undefined} then ${toJsonText(input.error)}::text::jsonb else error end,
            temporal_run_id = coalesce(${input.temporalRunId ?? null}, temporal_run_id)
          where id = ${executionId} and organization_id = ${orgId}
            and status not in ${tx(FINAL_EXECUTION_STATUSES)}
          returning status`;
        if (updated) return { status: updated.status, changed: true };
        const [current] = await tx<{ status: ExecutionStatus }[]>`
          select status from public.executions where id = ${executionId} and organization_id = ${orgId}`;
        if (!current) throw notFound(`execution ${executionId}`);
        return { status: current.status, changed: false };
      });
    },

    /**
     * Records that a node started (or started again: a new attempt or a resumed wait) for one
     * loop iteration. One row per (execution, node, iteration): a restart resets it.
     */
    async recordStepStarted(input: RecordStepStartedInput): Promise<RecordStepStartedResult> {
      const { orgId, executionId } = input;
      return asWorker(sql, orgId, async (tx) => {
        const stored = await boundedJson(tx, orgId, executionId, input.input);
        const [row] = await tx<{ id: string }[]>`
          insert into public.execution_steps
            (organization_id, execution_id, node_id, node_type, iteration, attempt, status, input, started_at)
          values (${orgId}, ${executionId}, ${input.nodeId}, ${input.nodeType}, ${input.iteration}, ${input.attempt},
                  'running', ${stored.json}::text::jsonb, now())
          on conflict (execution_id, node_id, iteration) do update set
            node_type = excluded.node_type, attempt = excluded.attempt, status = 'running', input = excluded.input,
            output = null, error = null, output_truncated = false, started_at = excluded.started_at, finished_at = null
          returning id`;
        return stored.payloadId ? { stepId: row!.id, inputPayloadId: stored.payloadId } : { stepId: row!.id };
      });
    },

    /**
     * Records how a node ended. An output over 64 KiB is kept whole in execution_payloads; the
     * row keeps a TruncatedValue (size, a 1 KiB preview, the payload id) and output_truncated.
     * The step must have been started.
     */
    async recordStepFinished(input: RecordStepFinishedInput): Promise<RecordStepFinishedResult> {
      const { orgId, executionId } = input;
      const final = FINAL_STEP_STATUSES.includes(input.status);
      return asWorker(sql, orgId, async (tx) => {
        const stored = await boundedJson(tx, orgId, executionId, input.output);
        const [row] = await tx<{ id: string }[]>`
          update public.execution_steps set
            status = ${input.status},
            output = ${stored.json}::text::jsonb,
            error = ${toJsonText(input.error)}::text::jsonb,
            output_truncated = ${stored.payloadId !== undefined},
            finished_at = case when ${final} then now() end
          where organization_id = ${orgId} and execution_id = ${executionId}
            and node_id = ${input.nodeId} and iteration = ${input.iteration}
          returning id`;
        // Throwing rolls the payload back with the transaction.
        if (!row) throw notFound(`step ${input.nodeId} [${input.iteration}] of execution ${executionId}`);
        return stored.payloadId ? { payloadId: stored.payloadId } : {};
      });
    },

    /** Keeps a value out of Temporal's history: workflows pass the returned id instead. */
    async storePayload(input: StorePayloadInput): Promise<StorePayloadResult> {
      const json = toJsonText(input.data) ?? 'null';
      return asWorker(sql, input.orgId, async (tx) => ({ payloadId: await insertPayload(tx, input.orgId, input.executionId, json) }));
    },

    /** The value stored by storePayload (or by a truncated step). */
    async loadPayload(input: LoadPayloadInput): Promise<unknown> {
      return asWorker(sql, input.orgId, async (tx) => {
        const [row] = await tx<{ data: unknown }[]>`
          select data from public.execution_payloads where id = ${input.payloadId} and organization_id = ${input.orgId}`;
        if (!row) throw notFound(`payload ${input.payloadId}`);
        return row.data;
      });
    },
  };
}

export type ExecutionActivities = ReturnType<typeof createExecutionActivities>;
