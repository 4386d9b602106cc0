/*
 * A turn of a conversation that follows the bot's published graph (bots/graph/). The cursor says
 * where the conversation is: waiting for the answer to an ask node, or talking with an AI-agent
 * node. A contact's message resumes the graph there; nodes then run until one waits for the next
 * message (an ask, an agent that has answered) or the graph hands off, ends, or runs out of
 * edges (then the bot converses freely). The reply is every message the turn produced, in order.
 */
import { ActivityFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { GoalActivities } from '../../activities/bots/goals';
import type { BotToolActivities, BotToolName } from '../../activities/bots/tools';
import { type AnswerKind, readAnswer } from '../../bots/graph/answers';
import { isTrue } from '../../flows/nodes/logic/if';
import { evaluateConfig } from '../../flows/expressions';
import type { ExpressionScope, FlowIR, IRNode } from '../../flows/types';
import type { GraphCursor } from './messages';
import { runTurn, type TurnContext, type TurnOutcome } from './turn';

const tools = proxyActivities<BotToolActivities>({ startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 5, maximumInterval: '10 seconds' } });
const goals = proxyActivities<GoalActivities>({ startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 10, maximumInterval: '10 seconds' } });

/** Nodes one message may run through: a guard, graphs are acyclic anyway. */
const MAX_STEPS = 100;

export const newCursor = (version: number): GraphCursor => ({ version, at: null, retries: 0, agentTurns: 0, vars: {}, done: false });

interface Step {
  id: string;
  type: string;
  handle?: string;
  note?: string;
}

export async function runGraphTurn(ctx: TurnContext & { ir: FlowIR; cursor: GraphCursor; message: string; fallbackMessage: string }): Promise<TurnOutcome & { cursor: GraphCursor }> {
  const { ir, message } = ctx;
  const cursor: GraphCursor = { ...ctx.cursor, vars: { ...ctx.cursor.vars } };
  const parts: string[] = [];
  const outcome = { handoff: false, end: false };
  const toolCalls: TurnOutcome['toolCalls'] = [];
  const path: Step[] = [];
  const agentTraces: Record<string, unknown>[] = [];
  let consumed = false;

  const scope = (): ExpressionScope => ({
    trigger: { message },
    nodes: {},
    vars: { ...cursor.vars, message },
    execution: { id: workflowInfo().workflowId, startedAt: workflowInfo().startTime.toISOString() },
  });
  const follow = (node: IRNode, handle: string): string | null => node.next[handle]?.[0] ?? null;
  const finish = (): TurnOutcome & { cursor: GraphCursor } => ({
    reply: parts.join('\n\n'),
    ...outcome,
    toolCalls,
    trace: { graph: { version: cursor.version, path, vars: cursor.vars, at: cursor.at, done: cursor.done }, ...(agentTraces.length ? { agent: agentTraces } : {}) },
    cursor,
  });
  const tool = async (name: BotToolName, args: Record<string, unknown>) => {
    const result = await tools.runBotTool({ orgId: ctx.orgId, contactId: ctx.contactId, calendarId: ctx.calendarId, name, arguments: args });
    toolCalls.push({ id: `graph-${toolCalls.length + 1}`, name, arguments: args, result });
    return result;
  };

  if (cursor.at === null) {
    // The first message starts the graph: it is what bot.start received.
    cursor.at = follow(ir.nodes[ir.triggerId]!, 'out');
    path.push({ id: ir.triggerId, type: 'bot.start' });
    consumed = true;
  }

  for (let steps = 0; steps < MAX_STEPS; steps++) {
    const node = cursor.at === null ? undefined : ir.nodes[cursor.at];
    if (!node) {
      cursor.done = true;
      return finish();
    }
    let config: Record<string, unknown>;
    try {
      config = await evaluateConfig(node.config, scope(), { nodeId: node.id });
    } catch (err) {
      // A broken expression: the contact gets the fallback and a person takes over.
      path.push({ id: node.id, type: node.type, note: (err as Error).message });
      parts.push(ctx.fallbackMessage);
      outcome.handoff = true;
      return finish();
    }
    const go = (handle: string, note?: string) => {
      path.push({ id: node.id, type: node.type, handle, ...(note ? { note } : {}) });
      cursor.at = follow(node, handle);
      cursor.retries = 0;
      cursor.agentTurns = 0;
    };

    switch (node.type) {
      case 'bot.message':
        parts.push(String(config.text));
        go('out');
        break;
      case 'bot.ask': {
        if (!consumed) {
          // Resumed here: this message is the answer.
          consumed = true;
          const value = readAnswer(config.expect as AnswerKind, message);
          if (value === undefined) {
            if (cursor.retries < Number(config.retries)) {
              cursor.retries += 1;
              parts.push(String(config.retryMessage));
              path.push({ id: node.id, type: node.type, note: `answer did not fit (${String(config.expect)}), asked again` });
              return finish();
            }
            go('invalid', 'no fitting answer after the retries');
            break;
          }
          cursor.vars[String(config.variable)] = value;
          if (config.saveToContact) await tool('update_contact_field', { field: config.saveToContact, value: String(value) });
          go('out');
          break;
        }
        // Reached by the graph: ask, and wait for the answer.
        parts.push(String(config.question));
        path.push({ id: node.id, type: node.type, note: 'asked' });
        return finish();
      }
      case 'bot.llm': {
        // The agent answers the message that reached it, or waits for the next one when this
        // turn already said something.
        if (consumed && parts.length > 0) {
          path.push({ id: node.id, type: node.type, note: 'waiting for the next message' });
          return finish();
        }
        consumed = true;
        const turn = await runTurn({ ...ctx, stepInstructions: String(config.instructions ?? '') });
        parts.push(turn.reply);
        toolCalls.push(...turn.toolCalls);
        agentTraces.push({ node: node.id, ...turn.trace });
        cursor.agentTurns += 1;
        if (turn.handoff || turn.end) {
          Object.assign(outcome, { handoff: turn.handoff, end: turn.end });
          path.push({ id: node.id, type: node.type, note: turn.handoff ? 'handed off' : 'ended' });
          return finish();
        }
        const goal = typeof config.exitOnGoal === 'string' && config.exitOnGoal ? config.exitOnGoal : null;
        const reached = goal ? (await goals.recordGoalProgress({ orgId: ctx.orgId, botId: ctx.botId, sessionId: ctx.sessionId, toolCalls: turn.toolCalls })).goalState[goal]?.reached : false;
        if (reached || cursor.agentTurns >= Number(config.maxTurns)) {
          go('out', reached ? `goal ${goal} reached` : 'replies used up');
          break;
        }
        path.push({ id: node.id, type: node.type, note: 'talking' });
        return finish();
      }
      case 'bot.goal': {
        const id = String(config.goal);
        const recorded = await goals.recordGoalProgress({ orgId: ctx.orgId, botId: ctx.botId, sessionId: ctx.sessionId, toolCalls, marked: config.markReached ? [id] : [] });
        go(recorded.goalState[id]?.reached ? 'met' : 'not_met');
        break;
      }
      case 'bot.condition':
        go(isTrue(config.condition) ? 'true' : 'false');
        break;
      case 'bot.action': {
        let result: Record<string, unknown>;
        try {
          result = await runAction(config, tool);
        } catch (err) {
          if (!(err instanceof ActivityFailure)) throw err;
          result = { ok: false, error: err.message };
        }
        if (result.ok === false || result.booked === false) {
          const why = String(result.error ?? result.reason ?? 'refused');
          if (node.next.error?.length) {
            go('error', why);
            break;
          }
          // Nothing handles the failure: a person does.
          path.push({ id: node.id, type: node.type, handle: 'error', note: why });
          parts.push(ctx.fallbackMessage);
          outcome.handoff = true;
          return finish();
        }
        go('out');
        break;
      }
      case 'bot.handoff':
        if (config.message) parts.push(String(config.message));
        path.push({ id: node.id, type: node.type });
        outcome.handoff = true;
        return finish();
      case 'bot.end':
        if (config.message) parts.push(String(config.message));
        path.push({ id: node.id, type: node.type });
        outcome.end = true;
        return finish();
      default:
        path.push({ id: node.id, type: node.type, note: 'unknown node type' });
        cursor.done = true;
        return finish();
    }
    consumed = true;
  }
  path.push({ id: cursor.at ?? '', type: '', note: `stopped after ${MAX_STEPS} steps` });
  return finish();
}

async function runAction(config: Record<string, unknown>, tool: (name: BotToolName, args: Record<string, unknown>) => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
  switch (config.action) {
    case 'add_tag':
      return tool('add_tag', { tag: String(config.tag) });
    case 'update_contact_field':
      return tool('update_contact_field', { field: config.field, value: String(config.value) });
    case 'book_appointment': {
      const found = await tool('find_free_slots', {});
      const slot = Array.isArray(found.slots) ? (found.slots[0] as unknown) : undefined;
      if (found.ok === false || typeof slot !== 'string') return { ok: false, error: String(found.error ?? 'no free slot') };
      return tool('book_appointment', { startTime: slot });
    }
    default:
      return { ok: false, error: `unknown action ${String(config.action)}` };
  }
}
