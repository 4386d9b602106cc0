import {
  ApplicationFailure,
  CancellationScope,
  condition,
  executeChild,
  isCancellation,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { WORKFLOW_KINDS } from '../shared';
import type { FlowActivities } from '../../activities/flow';
import { FlowError } from '../../flows/errors';
import { evaluateConfig } from '../../flows/expressions';
import { getNodeType } from '../../flows/registry';
import { DEFAULT_HANDLE, ERROR_HANDLE, type ExpressionScope, type IRNode } from '../../flows/types';
import { activityAttempt, activityOptions, durationMs, failureDetails, NodeFailure, rootMessage } from './failures';
import {
  type ApprovalDecision,
  approvalSignal,
  type FlowResponse,
  type FlowRunInput,
  type FlowRunResult,
  type FlowRunState,
  MAX_SUBFLOW_DEPTH,
  type NodeStatus,
  responseUpdate,
  stateQuery,
} from './messages';
import type { StepContext, StepRecord } from './steps';

// Bookkeeping activities: short, retried generously (a database blip must not fail a run).
const book = proxyActivities<FlowActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
});

/** Steps are written in batches (and by I/O activities themselves), not one activity per node. */
const STEP_BATCH = 25;

/** Loops over more items than this run in child workflows of LOOP_CHUNK_ITEMS items each. */
export const LOOP_INLINE_ITEMS = 100;
export const LOOP_CHUNK_ITEMS = 100;

export interface LoopChunkInput {
  run: FlowRunInput;
  loopNodeId: string;
  items: unknown[];
  offset: number;
  parentIteration: string;
  vars: Record<string, unknown>;
  outputs: Record<string, { output: unknown }>;
  concurrency: number;
}

/** A sub-graph being run: the whole flow, or one iteration of a loop body. */
interface Graph {
  nodes: ReadonlySet<string>;
  entries: string[];
  iteration: string;
  vars: Record<string, unknown>;
  /** Outputs visible to expressions here (a loop iteration layers its own over the outer ones). */
  outputs: Record<string, { output: unknown }>;
  /** Node ids that succeeded in this graph (for merge inputs and sinks). */
  ran: Set<string>;
}

/**
 * Runs one published flow version: the IR in the input, node by node. Parallel branches run
 * concurrently; a node runs once all its incoming branches are resolved and one of them took an
 * edge to it (otherwise it is skipped, and so are the nodes only it leads to).
 */
export async function flowInterpreterWorkflow(input: FlowRunInput): Promise<FlowRunResult> {
  return new FlowRun(input).execute();
}

/** A chunk of a long `logic.loop`, run as a child of the flow's run (same execution's steps). */
export async function flowLoopChunkWorkflow(input: LoopChunkInput): Promise<unknown[]> {
  return new FlowRun(input.run).runChunk(input);
}

class FlowRun {
  private readonly state: FlowRunState = { status: 'running', nodes: {}, waitingApprovals: [] };
  private readonly outputs: Record<string, { output: unknown }> = {};
  private readonly decisions = new Map<string, ApprovalDecision>();
  private readonly steps: StepRecord[] = [];
  private response: FlowResponse | undefined;
  private finished = false;
  private runningMarked = false;
  private readonly startedAt: string;

  constructor(private readonly input: FlowRunInput) {
    this.startedAt = new Date().toISOString();
    setHandler(stateQuery, () => this.state);
    setHandler(approvalSignal, (decision) => {
      // Only a node that is waiting takes a decision; a late or unknown one is ignored.
      if (this.state.waitingApprovals.some((w) => w.nodeId === decision.nodeId)) this.decisions.set(decision.nodeId, decision);
    });
    setHandler(responseUpdate, async () => {
      await condition(() => this.response !== undefined || this.finished);
      return this.response ?? { status: 500, headers: {}, body: { error: 'The run ended without a response' } };
    });
  }

  async execute(): Promise<FlowRunResult> {
    const { ir } = this.input;
    const inBodies = new Set(Object.values(ir.nodes).flatMap((n) => n.body?.nodes ?? []));
    const main: Graph = {
      nodes: new Set(Object.keys(ir.nodes).filter((id) => !inBodies.has(id))),
      entries: [ir.triggerId],
      iteration: '',
      vars: {},
      outputs: this.outputs,
      ran: new Set(),
    };
    try {
      await this.runGraph(main);
      const output = this.sinkOutputs(main);
      this.finish('succeeded');
      if (!this.response) this.response = { status: 200, headers: {}, body: output };
      await this.complete({ status: 'succeeded', output });
      return { output, response: this.response };
    } catch (err) {
      if (isCancellation(err)) {
        this.finish('cancelled');
        await CancellationScope.nonCancellable(() => this.complete({ status: 'cancelled' }));
        throw err;
      }
      const failure = err instanceof NodeFailure ? err : new NodeFailure('', err instanceof Error ? err.message : String(err), 1);
      this.finish('failed');
      this.response ??= { status: 500, headers: {}, body: { error: failure.message, nodeId: failure.nodeId } };
      await this.complete({ status: 'failed', error: { nodeId: failure.nodeId, message: failure.message, attempts: failure.attempts } });
      throw ApplicationFailure.create({
        type: 'FlowNodeFailed',
        message: failure.nodeId ? `Node ${failure.nodeId} failed after ${failure.attempts} attempt(s): ${failure.message}` : failure.message,
        nonRetryable: true,
        details: [{ nodeId: failure.nodeId, attempts: failure.attempts, message: failure.message }],
      });
    }
  }

  private finish(status: FlowRunState['status']): void {
    this.state.status = status;
    this.finished = true;
  }

  // -------------------------------------------------------------------------------------
  // Graph scheduling
  // -------------------------------------------------------------------------------------
  private async runGraph(g: Graph): Promise<void> {
    const { nodes } = this.input.ir;
    const remaining = new Map<string, number>();
    for (const id of g.nodes) {
      remaining.set(id, new Set(nodes[id]!.incoming.filter((s) => g.nodes.has(s))).size);
    }
    const activated = new Set<string>();
    let inflight = 0;
    let failure: unknown;

    const targetsOf = (id: string, handles: string[] | null) => {
      const node = nodes[id]!;
      const all = new Set(Object.values(node.next).flat().filter((t) => g.nodes.has(t)));
      const chosen = new Set((handles ?? []).flatMap((h) => node.next[h] ?? []));
      return { all, chosen };
    };
    const resolve = (id: string, handles: string[] | null) => {
      const { all, chosen } = targetsOf(id, handles);
      for (const t of all) {
        if (chosen.has(t)) activated.add(t);
        const left = remaining.get(t)! - 1;
        remaining.set(t, left);
        if (left > 0) continue;
        if (activated.has(t)) launch(t);
        else {
          this.setStatus(g, t, 'skipped');
          resolve(t, null);
        }
      }
    };
    const launch = (id: string) => {
      inflight += 1;
      this.runNode(id, g)
        .then((handles) => {
          g.ran.add(id);
          resolve(id, handles);
        })
        .catch((err: unknown) => {
          failure ??= err;
        })
        .finally(() => {
          inflight -= 1;
        });
    };
    for (const entry of g.entries) {
      activated.add(entry);
      launch(entry);
    }
    await condition(() => inflight === 0 || failure !== undefined);
    if (failure !== undefined) throw failure;
  }

  /** Outputs of the nodes that ran and lead nowhere further: the run's (or iteration's) result. */
  private sinkOutputs(g: Graph): Record<string, unknown> {
    const { nodes } = this.input.ir;
    const sinks = [...g.ran].filter((id) => !Object.values(nodes[id]!.next).flat().some((t) => g.ran.has(t)));
    return Object.fromEntries(sinks.sort().map((id) => [id, g.outputs[id]?.output]));
  }

  private scope(g: Graph): ExpressionScope {
    return {
      trigger: this.input.trigger,
      nodes: g.outputs,
      vars: g.vars,
      execution: { id: this.input.executionId, startedAt: this.startedAt },
    };
  }

  private key(g: Graph, id: string): string {
    return g.iteration ? `${id}#${g.iteration}` : id;
  }

  private setStatus(g: Graph, id: string, status: NodeStatus, extra: { attempt?: number; error?: string } = {}): void {
    this.state.nodes[this.key(g, id)] = { status, ...extra };
  }

  // -------------------------------------------------------------------------------------
  // One node
  // -------------------------------------------------------------------------------------
  /** Runs a node; answers the handles the run continues on. */
  private async runNode(id: string, g: Graph): Promise<string[]> {
    const node = this.input.ir.nodes[id]!;
    const type = getNodeType(node.type);
    if (!type) throw new NodeFailure(id, `Unknown node type ${node.type}`, 1);
    const started = new Date().toISOString();
    const ctx: StepContext = { orgId: this.input.orgId, executionId: this.input.executionId, nodeId: id, nodeType: node.type, iteration: g.iteration };
    this.setStatus(g, id, 'running');

    const reused = g.iteration === '' && this.input.reuse && id in this.input.reuse;
    if (reused && type.runtime.kind !== 'inline') {
      return this.succeed(g, node, started, this.input.reuse![id], [DEFAULT_HANDLE], 'reused');
    }

    const runtime = type.runtime;
    switch (runtime.kind) {
      case 'trigger':
        return this.succeed(g, node, started, this.input.trigger, [DEFAULT_HANDLE]);
      case 'inline': {
        const config = await this.evaluate(node, g);
        try {
          const result = runtime.run(config, { scope: this.scope(g), nodeId: id });
          return this.succeed(g, node, started, result.output, [result.handle ?? DEFAULT_HANDLE], undefined, config);
        } catch (err) {
          const message = err instanceof FlowError || err instanceof Error ? err.message : String(err);
          return this.fail(g, node, started, message, 1, config);
        }
      }
      case 'activity': {
        const config = await this.evaluate(node, g);
        const activities = proxyActivities<FlowActivities>(activityOptions(node.retry, node.timeoutMs));
        try {
          const output = await activities[runtime.activity]({ ...ctx, ...this.runningMark() }, config as never);
          // The activity recorded its own step (and every attempt): nothing to buffer here.
          g.outputs[id] = { output };
          this.setStatus(g, id, 'succeeded');
          return [DEFAULT_HANDLE];
        } catch (err) {
          if (isCancellation(err)) throw err;
          // The activity reports the attempt it failed on (a permanent failure stops early).
          const attempts = activityAttempt(err) ?? node.retry?.maximumAttempts ?? 1;
          return this.fail(g, node, started, rootMessage(err), attempts, undefined, true);
        }
      }
      case 'delay': {
        const config = (await this.evaluate(node, g)) as { duration?: string | number; until?: string };
        const ms = config.duration !== undefined ? durationMs(config.duration, id) : Math.max(0, Date.parse(String(config.until)) - Date.now());
        if (Number.isNaN(ms)) return this.fail(g, node, started, `until is not a date: ${String(config.until)}`, 1, config);
        this.setStatus(g, id, 'waiting');
        await this.flushSteps();
        await sleep(ms);
        return this.succeed(g, node, started, { waitedMs: ms, resumedAt: new Date().toISOString() }, [DEFAULT_HANDLE], undefined, config);
      }
      case 'approval':
        return this.approval(node, g, started);
      case 'merge': {
        const inputs = Object.fromEntries(node.incoming.filter((s) => g.ran.has(s)).map((s) => [s, g.outputs[s]?.output]));
        return this.succeed(g, node, started, inputs, [DEFAULT_HANDLE]);
      }
      case 'loop':
        return this.loop(node, g, started);
      case 'respond': {
        const config = (await this.evaluate(node, g)) as { status?: number; headers?: Record<string, string>; body?: unknown };
        this.response ??= { status: config.status ?? 200, headers: config.headers ?? {}, body: config.body ?? null };
        return this.succeed(g, node, started, this.response, [DEFAULT_HANDLE], undefined, config);
      }
      case 'subflow':
        return this.subflow(node, g, started);
      case 'conversation':
        // The flow compiler only knows flow node types: a bot graph's node cannot get here.
        return this.fail(g, node, started, `${node.type} runs only in a bot conversation`, 1);
    }
  }

  private async evaluate(node: IRNode, g: Graph): Promise<Record<string, unknown>> {
    try {
      return (await evaluateConfig(node.config, this.scope(g), { nodeId: node.id })) as Record<string, unknown>;
    } catch (err) {
      throw new NodeFailure(node.id, err instanceof Error ? err.message : String(err), 1);
    }
  }

  private async succeed(g: Graph, node: IRNode, startedAt: string, output: unknown, handles: string[], status?: 'reused', input?: unknown): Promise<string[]> {
    g.outputs[node.id] = { output };
    this.setStatus(g, node.id, status ?? 'succeeded');
    await this.pushStep({ nodeId: node.id, nodeType: node.type, iteration: g.iteration, status: 'succeeded', attempt: 1, input, output, startedAt, finishedAt: new Date().toISOString() });
    return handles;
  }

  /** A failed node continues on its error handle when one is connected; otherwise the run fails. */
  private async fail(g: Graph, node: IRNode, startedAt: string, message: string, attempts: number, input?: unknown, recorded = false): Promise<string[]> {
    this.setStatus(g, node.id, 'failed', { attempt: attempts, error: message });
    if (!recorded) {
      await this.pushStep({ nodeId: node.id, nodeType: node.type, iteration: g.iteration, status: 'failed', attempt: attempts, input, error: { message }, startedAt, finishedAt: new Date().toISOString() });
    }
    if ((node.next[ERROR_HANDLE] ?? []).length > 0) {
      g.outputs[node.id] = { output: { error: { message, attempts } } };
      return [ERROR_HANDLE];
    }
    throw new NodeFailure(node.id, message, attempts);
  }

  private async approval(node: IRNode, g: Graph, started: string): Promise<string[]> {
    const config = (await this.evaluate(node, g)) as { message?: unknown; approverRoles?: string[]; timeout?: string | number };
    const key = this.key(g, node.id);
    this.state.waitingApprovals.push({ nodeId: key, message: config.message, approverRoles: config.approverRoles ?? [] });
    this.setStatus(g, node.id, 'waiting');
    this.state.status = 'waiting';
    await this.flushSteps();
    await book.markExecution({ orgId: this.input.orgId, executionId: this.input.executionId, status: 'waiting' });
    const decided = await condition(() => this.decisions.has(key), durationMs(config.timeout ?? '7d', node.id));
    this.state.waitingApprovals = this.state.waitingApprovals.filter((w) => w.nodeId !== key);
    if (this.state.waitingApprovals.length === 0) this.state.status = 'running';
    await book.markExecution({ orgId: this.input.orgId, executionId: this.input.executionId, status: 'running' });
    if (!decided) return this.succeed(g, node, started, { decision: 'timeout' }, ['timeout'], undefined, config);
    const decision = this.decisions.get(key)!;
    return this.succeed(g, node, started, decision, [decision.decision === 'approve' ? 'approved' : 'rejected'], undefined, config);
  }

  private async loop(node: IRNode, g: Graph, started: string): Promise<string[]> {
    const config = (await this.evaluate(node, g)) as { items?: unknown; maxItems?: number; concurrency?: number };
    if (!Array.isArray(config.items)) return this.fail(g, node, started, 'items did not evaluate to a list', 1, config);
    const max = config.maxItems ?? 1000;
    if (config.items.length > max) return this.fail(g, node, started, `items has ${config.items.length} entries, more than maxItems (${max})`, 1);
    const concurrency = Math.max(1, config.concurrency ?? 1);
    const items = config.items as unknown[];
    let results: unknown[];
    if (items.length <= LOOP_INLINE_ITEMS) {
      results = await this.runIterations(node, g, items, 0, concurrency);
    } else {
      // Long lists run in child workflows of LOOP_CHUNK_ITEMS each: no single history grows
      // with the list, whatever its length.
      results = [];
      await this.flushSteps();
      for (let offset = 0; offset < items.length; offset += LOOP_CHUNK_ITEMS) {
        try {
          const part = await executeChild(flowLoopChunkWorkflow, {
            workflowId: `${workflowInfo().workflowId}/loop/${node.id}${g.iteration ? `/${g.iteration}` : ''}/${offset}`,
            args: [{ run: this.input, loopNodeId: node.id, items: items.slice(offset, offset + LOOP_CHUNK_ITEMS), offset, parentIteration: g.iteration, vars: g.vars, outputs: g.outputs, concurrency }],
          });
          results.push(...part);
        } catch (err) {
          if (isCancellation(err)) throw err;
          const detail = failureDetails(err);
          throw new NodeFailure(detail?.nodeId ?? node.id, detail?.message ?? rootMessage(err), detail?.attempts ?? 1);
        }
      }
    }
    return this.succeed(g, node, started, { items: results, count: results.length }, ['done']);
  }

  /** Runs a loop's body once per item (iterations `offset`, `offset + 1`, …); answers each result. */
  private async runIterations(node: IRNode, g: Pick<Graph, 'vars' | 'outputs' | 'iteration'>, items: unknown[], offset: number, concurrency: number): Promise<unknown[]> {
    const body = node.body ?? { entry: [], nodes: [] };
    const bodyNodes = new Set(body.nodes.filter((id) => !this.nestedBodyNodes(body.nodes).has(id)));
    const results: unknown[] = new Array(items.length);
    for (let start = 0; start < items.length; start += concurrency) {
      const chunk = items.slice(start, start + concurrency);
      await Promise.all(
        chunk.map(async (item, i) => {
          const index = offset + start + i;
          const iteration: Graph = {
            nodes: bodyNodes,
            entries: body.entry,
            iteration: `${g.iteration ? `${g.iteration}/` : ''}${node.id}:${index}`,
            vars: { ...g.vars, item, index },
            outputs: { ...g.outputs },
            ran: new Set(),
          };
          await this.runGraph(iteration);
          const sinks = this.sinkOutputs(iteration);
          const values = Object.values(sinks);
          results[start + i] = values.length === 1 ? values[0] : sinks;
        }),
      );
    }
    return results;
  }

  /** One chunk of a long loop, in its own workflow (flowLoopChunkWorkflow). */
  async runChunk(input: LoopChunkInput): Promise<unknown[]> {
    this.runningMarked = true; // the parent run did it
    const node = this.input.ir.nodes[input.loopNodeId]!;
    try {
      const results = await this.runIterations(node, { vars: input.vars, outputs: input.outputs, iteration: input.parentIteration }, input.items, input.offset, input.concurrency);
      await this.flushSteps();
      return results;
    } catch (err) {
      if (isCancellation(err)) throw err;
      await this.flushSteps();
      const failure = err instanceof NodeFailure ? err : new NodeFailure(node.id, err instanceof Error ? err.message : String(err), 1);
      throw ApplicationFailure.create({
        type: 'FlowNodeFailed',
        message: failure.message,
        nonRetryable: true,
        details: [{ nodeId: failure.nodeId, attempts: failure.attempts, message: failure.message }],
      });
    }
  }

  /** Runs another published workflow of the organization as a child run (its own execution). */
  private async subflow(node: IRNode, g: Graph, started: string): Promise<string[]> {
    const config = (await this.evaluate(node, g)) as { workflowId: string; input?: unknown; wait?: boolean };
    const depth = (this.input.depth ?? 0) + 1;
    if (depth > MAX_SUBFLOW_DEPTH) return this.fail(g, node, started, `Subflows nest deeper than ${MAX_SUBFLOW_DEPTH} levels`, 1, config);
    const child = await book.startSubflowExecution({
      orgId: this.input.orgId,
      workflowId: config.workflowId,
      executionId: uuid4(),
      trigger: { body: config.input ?? null, parent: { executionId: this.input.executionId, nodeId: node.id } },
      parentExecutionId: this.input.executionId,
      depth,
    });
    if (!child) return this.fail(g, node, started, `Workflow ${config.workflowId} is not published`, 1, config);
    const options = {
      workflowId: `flow:${child.executionId}`,
      args: [child] as [FlowRunInput],
      searchAttributes: {
        OrganizationId: [child.orgId],
        FlowId: [child.workflowId],
        FlowVersion: [String(child.version)],
        Kind: [WORKFLOW_KINDS.flow],
      },
    };
    if (config.wait === false) {
      await startChild(flowInterpreterWorkflow, { ...options, parentClosePolicy: ParentClosePolicy.ABANDON });
      return this.succeed(g, node, started, { executionId: child.executionId }, [DEFAULT_HANDLE], undefined, config);
    }
    try {
      const result = await executeChild(flowInterpreterWorkflow, options);
      return this.succeed(g, node, started, { executionId: child.executionId, output: result.output }, [DEFAULT_HANDLE], undefined, config);
    } catch (err) {
      if (isCancellation(err)) throw err;
      return this.fail(g, node, started, `Subflow ${child.executionId} failed: ${rootMessage(err)}`, 1, config);
    }
  }

  /** Nodes inside loops nested in this body: they run in their own loop's iterations. */
  private nestedBodyNodes(ids: string[]): Set<string> {
    const nodes = this.input.ir.nodes;
    return new Set(ids.flatMap((id) => nodes[id]!.body?.nodes ?? []));
  }

  // -------------------------------------------------------------------------------------
  // Step records
  // -------------------------------------------------------------------------------------
  private async pushStep(step: StepRecord): Promise<void> {
    this.steps.push(step);
    if (this.steps.length >= STEP_BATCH) await this.flushSteps();
  }

  private async flushSteps(): Promise<void> {
    if (this.steps.length === 0) return;
    const batch = this.steps.splice(0, this.steps.length);
    await book.recordSteps({ orgId: this.input.orgId, executionId: this.input.executionId, steps: batch, ...this.runningMark() });
  }

  /** Remaining steps and the final status in one activity. */
  private async complete(final: { status: 'succeeded' | 'failed' | 'cancelled'; output?: unknown; error?: unknown }): Promise<void> {
    const steps = this.steps.splice(0, this.steps.length);
    await book.completeRun({ orgId: this.input.orgId, executionId: this.input.executionId, steps, ...final, ...this.runningMark() });
  }

  /**
   * The execution is marked running by the run's first bookkeeping call (an I/O node's step, a
   * step batch, or the completion), not by an activity of its own.
   */
  private runningMark(): { running?: { temporalRunId: string } } {
    if (this.runningMarked) return {};
    this.runningMarked = true;
    return { running: { temporalRunId: workflowInfo().runId } };
  }
}
