/*
 * How a bot answers the next message of a conversation, read fresh for every message so a
 * change to the bot's settings applies to conversations already running: its mode (off,
 * suggest, auto), the debounce window that merges a contact's rapid messages into one turn, and
 * how many automatic replies it may still send before a person takes over.
 */
import type { Sql } from '../../db/client';
import { asWorker, notFound } from '../db/support';

export type BotMode = 'off' | 'suggest' | 'auto';

export interface ReplyPolicy {
  mode: BotMode;
  debounceMs: number;
  maxAutoMessages: number;
  /** Automatic replies this session has sent so far (suggestions and previews included). */
  autoMessagesSent: number;
}

export function createReplyPolicyActivities(deps: { sql: Sql }) {
  async function replyPolicy(input: { orgId: string; botId: string; sessionId: string }): Promise<ReplyPolicy> {
    return asWorker(deps.sql, input.orgId, async (tx) => {
      const [row] = await tx<{ mode: BotMode; reply_debounce_ms: number; max_auto_messages: number; auto_messages_sent: number | null }[]>`
        select b.mode, b.reply_debounce_ms, b.max_auto_messages, s.auto_messages_sent
        from public.bots b
        left join public.conversation_sessions s on s.organization_id = b.organization_id and s.id = ${input.sessionId}
        where b.organization_id = ${input.orgId} and b.id = ${input.botId} and b.deleted_at is null`;
      if (!row) throw notFound('bot');
      return { mode: row.mode, debounceMs: row.reply_debounce_ms, maxAutoMessages: row.max_auto_messages, autoMessagesSent: row.auto_messages_sent ?? 0 };
    });
  }
  return { replyPolicy };
}

export type ReplyPolicyActivities = ReturnType<typeof createReplyPolicyActivities>;
