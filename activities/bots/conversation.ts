/*
 * A conversation workflow's side effects: its session row, the transcript (the contact's
 * messages and the bot's replies, each reply with its trace), the prompt of a turn (persona,
 * instructions, goals, retrieved knowledge, recent messages) and one LLM call. All run as the
 * worker role for the conversation's organization.
 *
 * Exactly one reply per turn: a reply's idempotency key is the turn's key (session + turn
 * number, fixed by the workflow), so a retried write finds the row instead of adding a second.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import OpenAI from 'openai';
import type { Sql } from '../../db/client';
import type { Tx } from '../../db/tenant';
import type { Channel, CloseReason, ConversationStatus } from '../../workflows/bots/messages';
import { asWorker, notFound, toJsonText } from '../db/support';
import type { Embedder } from './embeddings';
import { rankedChunks } from './knowledge';
import { BOT_TOOLS, type ToolSpec, toolSpecs } from './tools';

export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };
export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** The model used when a bot names none. */
export const DEFAULT_BOT_MODEL = 'gpt-4o-mini';
/** Messages of the transcript the model sees (the summary covers what came before). */
const RECENT_MESSAGES = 20;
const KNOWLEDGE_CHUNKS = 3;
export const DEFAULT_FALLBACK = "Sorry, I can't help with that right now: a team member will get back to you.";
const DEFAULT_MAX_TOOL_CALLS = 4;
/** How often a running model call tells Temporal its worker is alive. */
const HEARTBEAT_MS = 5_000;

export interface OpenSessionInput {
  orgId: string;
  botId: string;
  contactId: string;
  channel: Channel;
  workflowId: string;
  summary?: string;
}

export interface TurnInput {
  orgId: string;
  botId: string;
  sessionId: string;
  summary?: string;
  /** The bot graph's AI-agent node: instructions for this step of the conversation. */
  stepInstructions?: string;
}

export interface PreparedTurn {
  model: string;
  messages: ChatMessage[];
  tools: ToolSpec[];
  maxToolCalls: number;
  fallbackMessage: string;
  retrieved: Array<{ chunkId: string; score: number }>;
  /** The bot's booking calendar (the booking tools' fallback when the conversation names none). */
  calendarId: string | null;
}

export interface LlmStepResult {
  content: string;
  toolCalls: ToolCall[];
  model: string;
}

export interface RecordReplyInput {
  orgId: string;
  sessionId: string;
  idempotencyKey: string;
  text: string;
  channel: Channel;
  toolCalls: unknown[];
  trace: Record<string, unknown>;
  /** A draft for a person to send (suggest mode): never delivered, never shown to the model. */
  suggested?: boolean;
}

interface BotRow {
  model: string | null;
  persona: string;
  instructions: string;
  goals: Array<{ id: string; name: string; description?: string }>;
  guardrails: { maxToolCallsPerTurn?: number; fallbackMessage?: string; allowedTools?: string[] };
  idle_timeout_seconds: number;
  calendar_id: string | null;
}

export interface LlmDeps {
  baseURL: string;
  apiKey: string;
  timeoutMs: number;
}

export function createConversationActivities(deps: { sql: Sql; llm: LlmDeps; embedder?: Embedder }) {
  const { sql } = deps;
  const llm = new OpenAI({ baseURL: deps.llm.baseURL, apiKey: deps.llm.apiKey, maxRetries: 0, timeout: deps.llm.timeoutMs });

  /** The bot and contact's open session, or a new one; the bot's idle timeout. */
  async function openSession(input: OpenSessionInput): Promise<{ sessionId: string; status: ConversationStatus; idleTimeoutSeconds: number; turns: number }> {
    return asWorker(sql, input.orgId, async (tx) => {
      const bot = await liveBot(tx, input.orgId, input.botId);
      await tx`
        insert into public.conversation_sessions (organization_id, bot_id, contact_id, channel, temporal_workflow_id, summary)
        values (${input.orgId}, ${input.botId}, ${input.contactId}, ${input.channel}, ${input.workflowId}, ${input.summary ?? null})
        on conflict (organization_id, bot_id, contact_id) where status <> 'closed' do nothing`;
      const [session] = await tx<{ id: string; status: ConversationStatus }[]>`
        update public.conversation_sessions set temporal_workflow_id = ${input.workflowId}, summary = coalesce(${input.summary ?? null}, summary)
        where organization_id = ${input.orgId} and bot_id = ${input.botId} and contact_id = ${input.contactId} and status <> 'closed'
        returning id, status`;
      if (!session) throw notFound('conversation');
      // A session outliving its workflow (terminated, reset) is picked up where it was: the next
      // turn's keys follow the messages it already has, instead of colliding with them.
      const [counted] = await tx<{ turns: number }[]>`
        select count(*)::int as turns from public.conversation_messages
        where organization_id = ${input.orgId} and session_id = ${session.id} and role = 'user'`;
      return { sessionId: session.id, status: session.status, idleTimeoutSeconds: bot.idle_timeout_seconds, turns: counted!.turns };
    });
  }

  /**
   * Stores the contact's message. A message whose external id was stored before is not stored
   * again: the answer is the earlier message and the reply it got (null if it got none).
   */
  async function recordUserMessage(input: { orgId: string; sessionId: string; idempotencyKey: string; text: string; channel: Channel; externalMessageId?: string }) {
    return asWorker(sql, input.orgId, async (tx) => {
      const external = input.externalMessageId ?? null;
      if (external) {
        const [earlier] = await tx<{ id: string; idempotency_key: string }[]>`
          select id, idempotency_key from public.conversation_messages where organization_id = ${input.orgId} and external_message_id = ${external}`;
        if (earlier && earlier.idempotency_key !== input.idempotencyKey) {
          return { messageId: earlier.id, duplicate: true, earlierReply: await replyText(tx, input.orgId, replyKey(earlier.idempotency_key)) };
        }
      }
      await tx`
        insert into public.conversation_messages (organization_id, session_id, role, channel, text, external_message_id, idempotency_key)
        values (${input.orgId}, ${input.sessionId}, 'user', ${input.channel}, ${input.text}, ${external}, ${input.idempotencyKey})
        on conflict (organization_id, idempotency_key) do nothing`;
      const [row] = await tx<{ id: string }[]>`
        select id from public.conversation_messages where organization_id = ${input.orgId} and idempotency_key = ${input.idempotencyKey}`;
      await tx`update public.conversation_sessions set last_message_at = now() where organization_id = ${input.orgId} and id = ${input.sessionId}`;
      return { messageId: row!.id, duplicate: false, earlierReply: null };
    });
  }

  /** The prompt of a turn: the bot's system prompt with retrieved knowledge, then the recent transcript. */
  async function prepareTurn(input: TurnInput): Promise<PreparedTurn> {
    return asWorker(sql, input.orgId, async (tx) => {
      const bot = await liveBot(tx, input.orgId, input.botId);
      const recent = await tx<{ role: 'user' | 'assistant' | 'human_agent'; text: string }[]>`
        select role, text from (
          select role, text, created_at, id from public.conversation_messages
          where organization_id = ${input.orgId} and session_id = ${input.sessionId} and role in ('user', 'assistant', 'human_agent') and not suggested
          order by created_at desc, id desc limit ${RECENT_MESSAGES}
        ) m order by created_at, id`;
      const lastUser = [...recent].reverse().find((m) => m.role === 'user')?.text ?? '';
      const chunks = lastUser.trim() ? await rankedChunks(tx, input.orgId, input.botId, lastUser.slice(0, 2000), KNOWLEDGE_CHUNKS, deps.embedder) : [];
      const knowledge = chunks.map((c) => `- ${c.heading ? `${c.heading}: ` : ''}${c.content}`).join('\n');
      const g = bot.guardrails ?? {};
      return {
        model: bot.model ?? DEFAULT_BOT_MODEL,
        messages: [
          { role: 'system', content: systemPrompt(bot, input.summary, knowledge, input.stepInstructions) },
          ...recent.map((m): ChatMessage => (m.role === 'user' ? { role: 'user', content: m.text } : { role: 'assistant', content: m.text })),
        ],
        tools: toolSpecs(g.allowedTools ?? BOT_TOOLS),
        maxToolCalls: g.maxToolCallsPerTurn ?? DEFAULT_MAX_TOOL_CALLS,
        fallbackMessage: g.fallbackMessage ?? DEFAULT_FALLBACK,
        retrieved: chunks.map((c) => ({ chunkId: c.chunkId, score: c.score })),
        calendarId: bot.calendar_id,
      };
    });
  }

  /** One chat completion. Server errors and timeouts are retried by Temporal; a refused request is not. */
  async function botLlmStep(input: { model: string; messages: ChatMessage[]; tools: ToolSpec[]; allowTools: boolean }): Promise<LlmStepResult> {
    const context = Context.current();
    // A slow model keeps a person waiting: beating while it thinks lets a heartbeat timeout (when
    // the workflow sets one) retry on another worker soon after this one dies, not after a minute.
    const beat = setInterval(() => context.heartbeat(), HEARTBEAT_MS);
    let completion: OpenAI.Chat.ChatCompletion;
    try {
      completion = await llm.chat.completions.create(
        {
          model: input.model,
          messages: input.messages as OpenAI.Chat.ChatCompletionMessageParam[],
          ...(input.tools.length ? { tools: input.tools as OpenAI.Chat.ChatCompletionTool[], tool_choice: input.allowTools ? 'auto' : 'none' } : {}),
        },
        { signal: context.cancellationSignal },
      );
    } catch (err) {
      if (err instanceof OpenAI.APIError && err.status !== undefined) {
        const message = `LLM request failed (${err.status}): ${err.message}`;
        const retry = err.status === 429 || err.status === 408 || err.status >= 500;
        throw ApplicationFailure.create({ message, type: 'LlmError', nonRetryable: !retry });
      }
      throw ApplicationFailure.create({ message: `LLM request failed: ${(err as Error).message}`, type: 'LlmError', nonRetryable: false });
    } finally {
      clearInterval(beat);
    }
    const message = completion.choices[0]?.message;
    const toolCalls = (message?.tool_calls ?? []).flatMap((c): ToolCall[] => (c.type === 'function' ? [{ id: c.id, type: 'function', function: { name: c.function.name, arguments: c.function.arguments } }] : []));
    return { content: message?.content ?? '', toolCalls, model: completion.model };
  }

  /** Stores the bot's reply of a turn once, whatever the retries: its id. */
  async function recordReply(input: RecordReplyInput): Promise<string> {
    return asWorker(sql, input.orgId, async (tx) => {
      await tx`
        insert into public.conversation_messages (organization_id, session_id, role, channel, text, tool_calls, trace, idempotency_key, suggested)
        values (${input.orgId}, ${input.sessionId}, 'assistant', ${input.channel}, ${input.text}, ${toJsonText(input.toolCalls.length ? input.toolCalls : null)}::text::jsonb,
          ${toJsonText(input.trace)}::text::jsonb, ${input.idempotencyKey}, ${input.suggested ?? false})
        on conflict (organization_id, idempotency_key) do nothing`;
      const [row] = await tx<{ id: string }[]>`
        select id from public.conversation_messages where organization_id = ${input.orgId} and idempotency_key = ${input.idempotencyKey}`;
      await tx`update public.conversation_sessions set last_message_at = now(), auto_messages_sent = auto_messages_sent + 1
        where organization_id = ${input.orgId} and id = ${input.sessionId}`;
      return row!.id;
    });
  }

  /** Moves the session to a status (handing off, resuming, closing with a reason). */
  async function setSessionStatus(input: { orgId: string; sessionId: string; status: ConversationStatus; reason?: CloseReason; summary?: string }): Promise<void> {
    await asWorker(sql, input.orgId, (tx) => tx`
      update public.conversation_sessions set status = ${input.status},
        handed_off_at = ${input.status === 'handed_off' ? tx`now()` : tx`handed_off_at`},
        closed_at = ${input.status === 'closed' ? tx`coalesce(closed_at, now())` : tx`null`},
        closed_reason = ${input.status === 'closed' ? tx`coalesce(closed_reason, ${input.reason ?? 'bot'})` : tx`null`},
        summary = coalesce(${input.summary ?? null}, summary)
      where organization_id = ${input.orgId} and id = ${input.sessionId}`);
  }

  return { openSession, recordUserMessage, prepareTurn, botLlmStep, recordReply, setSessionStatus };
}

/** A reply's key from its turn's user-message key (`...:user` -> `...:reply`). */
export const replyKey = (turnKey: string) => turnKey.replace(/:user$/, ':reply');

async function replyText(tx: Tx, orgId: string, key: string): Promise<string | null> {
  const [row] = await tx<{ text: string }[]>`select text from public.conversation_messages where organization_id = ${orgId} and idempotency_key = ${key}`;
  return row?.text ?? null;
}

async function liveBot(tx: Tx, orgId: string, botId: string): Promise<BotRow> {
  const [bot] = await tx<BotRow[]>`
    select model, persona, instructions, goals, guardrails, idle_timeout_seconds, calendar_id from public.bots
    where organization_id = ${orgId} and id = ${botId} and deleted_at is null`;
  if (!bot) throw notFound('bot');
  return bot;
}

function systemPrompt(bot: BotRow, summary: string | undefined, knowledge: string, step?: string): string {
  const parts = [
    bot.persona.trim() && `Persona:\n${bot.persona.trim()}`,
    bot.instructions.trim() && `Instructions:\n${bot.instructions.trim()}`,
    step?.trim() && `Now:\n${step.trim()}`,
    bot.goals.length > 0 && `Goals:\n${bot.goals.map((g) => `- ${g.name}${g.description ? `: ${g.description}` : ''}`).join('\n')}`,
    'Only confirm an appointment when book_appointment answered booked: true.',
    summary && `Conversation so far (summary):\n${summary}`,
    knowledge && `Knowledge:\n${knowledge}`,
  ];
  return parts.filter(Boolean).join('\n\n');
}

export type ConversationActivities = ReturnType<typeof createConversationActivities>;
