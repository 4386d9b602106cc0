/*
 * One turn of a conversation: the model reads the prompt (persona, goals, knowledge, recent
 * messages) and either answers or calls tools; tool results go back to it until it answers or
 * the bot's tool-call budget is spent (then it must answer without tools). GHL tools run as
 * activities; handing off and ending are recorded here and acted on by the conversation.
 * Whatever fails on the model's side, the contact gets the bot's fallback message and the
 * error is in the trace.
 */
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { ChatMessage, ConversationActivities, ToolCall } from '../../activities/bots/conversation';
import type { BotToolActivities, BotToolName } from '../../activities/bots/tools';

const store = proxyActivities<ConversationActivities>({ startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 10, maximumInterval: '10 seconds' } });
// A person is waiting for the answer: one retry, then the fallback message.
// The call heartbeats, so a dead worker's attempt is retried within seconds.
const model = proxyActivities<ConversationActivities>({ startToCloseTimeout: '60 seconds', heartbeatTimeout: '20 seconds', retry: { maximumAttempts: 2, initialInterval: '500 milliseconds' } });
const tools = proxyActivities<BotToolActivities>({ startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 5, maximumInterval: '10 seconds' } });

export interface TurnContext {
  orgId: string;
  botId: string;
  contactId: string;
  sessionId: string;
  calendarId?: string;
  summary?: string;
  /** The bot graph's AI-agent node: instructions for this step. */
  stepInstructions?: string;
  /** Suggest mode: a draft for a person, so no tool runs (nothing is tagged or booked). */
  draft?: boolean;
}

export interface TurnOutcome {
  reply: string;
  handoff: boolean;
  end: boolean;
  toolCalls: Array<{ id: string; name: string; arguments: unknown; result: unknown }>;
  trace: Record<string, unknown>;
}

export async function runTurn(ctx: TurnContext): Promise<TurnOutcome> {
  const prepared = await store.prepareTurn({ orgId: ctx.orgId, botId: ctx.botId, sessionId: ctx.sessionId, summary: ctx.summary, ...(ctx.stepInstructions ? { stepInstructions: ctx.stepInstructions } : {}) });
  const messages: ChatMessage[] = [...prepared.messages];
  const calls: TurnOutcome['toolCalls'] = [];
  const outcome = { handoff: false, end: false };
  const trace = (extra: Record<string, unknown>) => ({ prompt: prepared.messages, retrieved: prepared.retrieved, toolCalls: calls, ...extra });
  let usedModel = prepared.model;
  if (ctx.draft) prepared.tools = [];
  const allowed = prepared.tools.map((t) => t.function.name);
  try {
    for (;;) {
      const allowTools = calls.length < prepared.maxToolCalls;
      const step = await model.botLlmStep({ model: prepared.model, messages, tools: prepared.tools, allowTools });
      usedModel = step.model;
      if (step.toolCalls.length === 0 || !allowTools) {
        const reply = step.content.trim() || prepared.fallbackMessage;
        return { reply, ...outcome, toolCalls: calls, trace: trace({ model: usedModel }) };
      }
      messages.push({ role: 'assistant', content: step.content || null, tool_calls: step.toolCalls });
      for (const call of step.toolCalls) {
        const result = calls.length < prepared.maxToolCalls ? await runTool(ctx, call, allowed, outcome) : { ok: false, error: 'Tool-call limit of this turn reached' };
        calls.push({ id: call.id, name: call.function.name, arguments: parseArgs(call), result });
        messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
      }
    }
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const error = err.cause instanceof ApplicationFailure ? err.cause.message : err.message;
    return { reply: prepared.fallbackMessage, ...outcome, toolCalls: calls, trace: trace({ model: usedModel, error, fallback: true }) };
  }
}

async function runTool(ctx: TurnContext, call: ToolCall, allowed: string[], outcome: { handoff: boolean; end: boolean }): Promise<Record<string, unknown>> {
  const name = call.function.name;
  // Only the bot's allowed tools run, whatever the model asks for.
  if (!allowed.includes(name)) return { ok: false, error: `The tool ${name} is not available` };
  if (name === 'handoff_to_human') {
    outcome.handoff = true;
    return { ok: true, handedOff: true };
  }
  if (name === 'end_conversation') {
    outcome.end = true;
    return { ok: true, ended: true };
  }
  const args = parseArgs(call);
  if (args === undefined) return { ok: false, error: 'The arguments are not a JSON object' };
  return tools.runBotTool({ orgId: ctx.orgId, contactId: ctx.contactId, calendarId: ctx.calendarId, name: name as BotToolName, arguments: args });
}

function parseArgs(call: ToolCall): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(call.function.arguments || '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
