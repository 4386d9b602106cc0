/*
 * How a bot answers the next message of a conversation, read fresh for every message so a
 * change to the bot's settings applies to conversations already running: its mode (off,
 * suggest, auto), the debounce window that merges a contact's rapid messages into one turn, and
 * how many automatic replies it may still send before a person takes over.
 */
import type { Sql } from '../../db/client';
import type { FlowIR } from '../../flows/types';
import { asWorker, notFound } from '../db/support';
import { DEFAULT_FALLBACK } from './conversation';

export type BotMode = 'off' | 'suggest' | 'auto';

export interface ReplyPolicy {
  mode: BotMode;
  debounceMs: number;
  maxAutoMessages: number;
  /** Automatic replies this session has sent so far (suggestions and previews included). */
  autoMessagesSent: number;
  /** The published graph new conversations follow; null: free conversation. */
  graphVersion: number | null;
}

export interface BotGraph {
  ir: FlowIR;
  fallbackMessage: string;
}

export function createReplyPolicyActivities(deps: { sql: Sql }) {
  async function replyPolicy(input: { orgId: string; botId: string; sessionId: string }): Promise<ReplyPolicy> {
    return asWorker(deps.sql, input.orgId, async (tx) => {
      const [row] = await tx<{ mode: BotMode; reply_debounce_ms: number; max_auto_messages: number; auto_messages_sent: number | null; graph_version: number | null }[]>`
        select b.mode, b.reply_debounce_ms, b.max_auto_messages, s.auto_messages_sent, b.graph_version
        from public.bots b
        left join public.conversation_sessions s on s.organization_id = b.organization_id and s.id = ${input.sessionId}
        where b.organization_id = ${input.orgId} and b.id = ${input.botId} and b.deleted_at is null`;
      if (!row) throw notFound('bot');
      return { mode: row.mode, debounceMs: row.reply_debounce_ms, maxAutoMessages: row.max_auto_messages, autoMessagesSent: row.auto_messages_sent ?? 0, graphVersion: row.graph_version };
    });
  }
  /** A published version of the bot's graph (immutable, so a conversation can keep its own). */
  async function loadBotGraph(input: { orgId: string; botId: string; version: number }): Promise<BotGraph> {
    return asWorker(deps.sql, input.orgId, async (tx) => {
      const [row] = await tx<{ ir: FlowIR; guardrails: { fallbackMessage?: string } }[]>`
        select w.ir, b.guardrails from public.chatbot_workflows w
        join public.bots b on b.organization_id = w.organization_id and b.id = w.bot_id
        where w.organization_id = ${input.orgId} and w.bot_id = ${input.botId} and w.version = ${input.version}`;
      if (!row) throw notFound('bot graph');
      return { ir: row.ir, fallbackMessage: row.guardrails.fallbackMessage ?? DEFAULT_FALLBACK };
    });
  }
  return { replyPolicy, loadBotGraph };
}

export type ReplyPolicyActivities = ReturnType<typeof createReplyPolicyActivities>;
