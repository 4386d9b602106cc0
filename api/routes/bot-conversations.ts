/*
 * A bot's conversations as people review them: the sessions (newest first) and each session's
 * transcript, with the trace of every reply (prompt, retrieved chunks, tool calls, model,
 * error). Read with the caller's claims: RLS (conversations:read) decides.
 */
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { HttpError } from '../http/errors';
import { defineRoute, orgAccess, type RouteDef } from '../http/route';
import { pageQuery } from '../schemas/common';

const STATUSES = ['active', 'handed_off', 'closed'] as const;

export const conversationSchema = z.object({
  id: z.uuid(),
  botId: z.uuid(),
  contactId: z.uuid(),
  /** Null when the contact has no name, or the caller may not read contacts. */
  contactName: z.string().nullable(),
  channel: z.string(),
  status: z.enum(STATUSES),
  lastMessageAt: z.string().nullable(),
  messageCount: z.number().int(),
  /** What the conversation reached of the bot's goals (by goal id), as the workflow records it. */
  goalState: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});

export const messageSchema = z.object({
  id: z.uuid(),
  role: z.enum(['user', 'assistant', 'human_agent', 'system', 'tool']),
  channel: z.string().nullable(),
  text: z.string(),
  toolCalls: z.array(z.unknown()).nullable(),
  trace: z.record(z.string(), z.unknown()).nullable(),
  /** A reply the bot drafted in suggest mode: never sent to the contact. */
  suggested: z.boolean(),
  createdAt: z.string(),
});

interface SessionRow {
  id: string;
  bot_id: string;
  contact_id: string;
  contact_name: string | null;
  channel: string;
  status: (typeof STATUSES)[number];
  last_message_at: Date | null;
  created_at: Date;
  message_count: number;
  goal_state: Record<string, unknown>;
  sort_key: string;
}

interface MessageRow {
  id: string;
  role: z.infer<typeof messageSchema>['role'];
  channel: string | null;
  text: string;
  tool_calls: unknown[] | null;
  trace: Record<string, unknown> | null;
  suggested: boolean;
  created_at: Date;
}

const toConversation = (r: SessionRow): z.infer<typeof conversationSchema> => ({
  id: r.id,
  botId: r.bot_id,
  contactId: r.contact_id,
  contactName: r.contact_name,
  channel: r.channel,
  status: r.status,
  lastMessageAt: r.last_message_at?.toISOString() ?? null,
  messageCount: r.message_count,
  goalState: r.goal_state,
  createdAt: r.created_at.toISOString(),
});

const toMessage = (r: MessageRow): z.infer<typeof messageSchema> => ({
  id: r.id,
  role: r.role,
  channel: r.channel,
  text: r.text,
  toolCalls: r.tool_calls,
  trace: r.trace,
  suggested: r.suggested,
  createdAt: r.created_at.toISOString(),
});

const listQuery = z.strictObject({ ...pageQuery, contactId: z.uuid().optional() });
/** A transcript is read whole, up to this many messages (the oldest first). */
const MAX_MESSAGES = 2000;

export const botConversationRoutes: RouteDef[] = [
  defineRoute<Record<string, never>, z.infer<typeof listQuery>>({
    method: 'get',
    path: '/api/v1/orgs/:orgId/bots/:botId/conversations',
    summary: "A bot's conversations, the latest message first; contactId narrows to one contact",
    tags: ['bots'],
    access: orgAccess('conversations', 'read'),
    query: listQuery,
    response: z.object({ items: z.array(conversationSchema), nextCursor: z.string().nullable() }),
    async handler({ params, query, asUser }) {
      const orgId = params.orgId!;
      const botId = params.botId!;
      const after = decodeCursor(query.cursor);
      const rows = await asUser(async (tx) => {
        // A deleted bot's conversations are kept, and stay readable.
        const [bot] = await tx`select 1 from public.bots where organization_id = ${orgId} and id = ${botId}`;
        if (!bot) throw new HttpError(404, 'No such bot');
        // Sorted by the last message (the start for a session without one), newest first; the
        // cursor keeps the key at microsecond precision, in UTC.
        return tx<SessionRow[]>`
          select * from (
            select s.id, s.bot_id, s.contact_id, s.channel, s.status, s.goal_state, s.last_message_at, s.created_at,
              nullif(coalesce(nullif(c.name, ''), concat_ws(' ', c.first_name, c.last_name)), '') as contact_name,
              (select count(*)::int from public.conversation_messages m where m.organization_id = s.organization_id and m.session_id = s.id) as message_count,
              coalesce(s.last_message_at, s.created_at) as sort_at,
              to_char(coalesce(s.last_message_at, s.created_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as sort_key
            from public.conversation_sessions s
            left join public.contacts c on c.organization_id = s.organization_id and c.id = s.contact_id
            where s.organization_id = ${orgId} and s.bot_id = ${botId}
              ${query.contactId ? tx`and s.contact_id = ${query.contactId}` : tx``}
          ) x
          ${after ? tx`where (x.sort_at, x.id) < ((${after.k}::timestamp at time zone 'UTC'), ${after.id}::uuid)` : tx``}
          order by x.sort_at desc, x.id desc
          limit ${query.limit + 1}`;
      });
      const items = rows.slice(0, query.limit);
      const last = items[items.length - 1];
      return { items: items.map(toConversation), nextCursor: rows.length > query.limit && last ? encodeCursor({ k: last.sort_key, id: last.id }) : null };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/conversations/:sessionId/messages',
    summary: "One conversation's transcript in order, each bot reply with its trace",
    tags: ['bots'],
    access: orgAccess('conversations', 'read'),
    response: z.object({ conversation: conversationSchema, items: z.array(messageSchema) }),
    async handler({ params, asUser }) {
      const orgId = params.orgId!;
      const sessionId = params.sessionId!;
      return asUser(async (tx) => {
        const [session] = await tx<SessionRow[]>`
          select s.id, s.bot_id, s.contact_id, s.channel, s.status, s.goal_state, s.last_message_at, s.created_at, '' as sort_key,
            nullif(coalesce(nullif(c.name, ''), concat_ws(' ', c.first_name, c.last_name)), '') as contact_name,
            (select count(*)::int from public.conversation_messages m where m.organization_id = s.organization_id and m.session_id = s.id) as message_count
          from public.conversation_sessions s
          left join public.contacts c on c.organization_id = s.organization_id and c.id = s.contact_id
          where s.organization_id = ${orgId} and s.id = ${sessionId}`;
        if (!session) throw new HttpError(404, 'No such conversation');
        const messages = await tx<MessageRow[]>`
          select id, role, channel, text, tool_calls, trace, suggested, created_at from public.conversation_messages
          where organization_id = ${orgId} and session_id = ${sessionId}
          order by created_at, id
          limit ${MAX_MESSAGES}`;
        return { conversation: toConversation(session), items: messages.map(toMessage) };
      });
    },
  }),
];
