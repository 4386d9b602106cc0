/*
 * Handoffs to people: the queue of conversations handed off across the organization's bots
 * (oldest handoff first), taking one over, replying to the contact, and handing it back to the
 * bot; and a bot's numbers. Session moves go through the conversation workflow (it owns the
 * status); a person's reply is stored with the caller's claims (RLS: conversations:update,
 * role human_agent) and, on a GHL channel, delivered by the human-reply workflow.
 */
import { randomUUID } from 'node:crypto';
import type { PendingQuery, Row } from 'postgres';
import { z } from 'zod';
import { moveConversation, startHumanReplyDelivery } from '../bots/handoffs';
import type { Tx } from '../../db/tenant';
import { MESSAGE_TYPE_OF_CHANNEL } from '../../activities/bots/ghl-send';
import { type Channel, MAX_MESSAGE_CHARS } from '../../workflows/bots/messages';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { HttpError } from '../http/errors';
import { defineRoute, orgAccess, type RouteDef } from '../http/route';
import { pageQuery } from '../schemas/common';
import { messageSchema } from './bot-conversations';

const STATUSES = ['active', 'handed_off', 'closed'] as const;

export const handoffSchema = z.object({
  id: z.uuid(),
  botId: z.uuid(),
  botName: z.string(),
  contactId: z.uuid(),
  /** Null when the contact has no name, or the caller may not read contacts. */
  contactName: z.string().nullable(),
  channel: z.string(),
  status: z.enum(STATUSES),
  handedOffAt: z.string().nullable(),
  /** The person who took the conversation over; null while nobody has. */
  assignedUserId: z.uuid().nullable(),
  assignedToMe: z.boolean(),
  lastMessage: z.object({ role: messageSchema.shape.role, text: z.string(), createdAt: z.string() }).nullable(),
});

interface HandoffRow {
  id: string;
  bot_id: string;
  bot_name: string;
  contact_id: string;
  contact_name: string | null;
  channel: Channel;
  status: (typeof STATUSES)[number];
  handed_off_at: Date | null;
  assigned_user_id: string | null;
  last_role: z.infer<typeof messageSchema>['role'] | null;
  last_text: string | null;
  last_at: Date | null;
  sort_key: string;
}

const toHandoff = (r: HandoffRow, userId: string): z.infer<typeof handoffSchema> => ({
  id: r.id,
  botId: r.bot_id,
  botName: r.bot_name,
  contactId: r.contact_id,
  contactName: r.contact_name,
  channel: r.channel,
  status: r.status,
  handedOffAt: r.handed_off_at?.toISOString() ?? null,
  assignedUserId: r.assigned_user_id,
  assignedToMe: r.assigned_user_id === userId,
  lastMessage: r.last_role && r.last_at ? { role: r.last_role, text: r.last_text ?? '', createdAt: r.last_at.toISOString() } : null,
});

/** One session as the queue shows it; `where` narrows (always within the organization). */
type Fragment = PendingQuery<Row[]>;
const handoffRows = (tx: Tx, orgId: string, where: Fragment, tail: Fragment = tx``) => tx<HandoffRow[]>`
  select * from (
    select s.id, s.bot_id, b.name as bot_name, s.contact_id, s.channel, s.status, s.handed_off_at, s.assigned_user_id,
      nullif(coalesce(nullif(c.name, ''), concat_ws(' ', c.first_name, c.last_name)), '') as contact_name,
      lm.role as last_role, lm.text as last_text, lm.created_at as last_at,
      coalesce(s.handed_off_at, s.created_at) as sort_at,
      to_char(coalesce(s.handed_off_at, s.created_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as sort_key
    from public.conversation_sessions s
    join public.bots b on b.organization_id = s.organization_id and b.id = s.bot_id
    left join public.contacts c on c.organization_id = s.organization_id and c.id = s.contact_id
    left join lateral (
      select m.role, m.text, m.created_at from public.conversation_messages m
      where m.organization_id = s.organization_id and m.session_id = s.id and m.role in ('user', 'assistant', 'human_agent')
      order by m.created_at desc, m.id desc limit 1
    ) lm on true
    where s.organization_id = ${orgId} and ${where}
  ) x ${tail}`;

const queueQuery = z.strictObject({ ...pageQuery, botId: z.uuid().optional() });

const replyBody = z.strictObject({
  text: z
    .string()
    .max(MAX_MESSAGE_CHARS, `At most ${MAX_MESSAGE_CHARS} characters`)
    .refine((t) => t.trim().length > 0, 'Say something')
    .refine((t) => !t.includes('\u0000'), 'Text only'),
  /** Chosen by the client per reply: sending it again (a retry) stores and sends the reply once. */
  idempotencyKey: z.string().trim().min(1).max(200).optional(),
});

const replyResponse = z.object({
  message: messageSchema,
  /** `queued`: on its way through GHL; `not_sent`: the channel is read in Flowline (web chat). */
  delivery: z.enum(['queued', 'not_sent']),
  duplicate: z.boolean(),
});

const statsQuery = z.strictObject({ days: z.coerce.number().int().min(1).max(3650).optional() });
const statsResponse = z.object({
  botId: z.uuid(),
  /** Null: all time. Conversations started, and messages written, in the last `days` days. */
  days: z.number().int().nullable(),
  conversations: z.object({ total: z.number().int(), active: z.number().int(), handedOff: z.number().int(), closed: z.number().int() }),
  /** Conversations that reached at least one goal (or were closed as goal_reached), over all conversations. */
  goals: z.object({
    completed: z.number().int(),
    completionRate: z.number().nullable(),
    byGoal: z.array(z.object({ id: z.string(), name: z.string().nullable(), reached: z.number().int() })),
  }),
  /** Conversations handed off to a person at least once. */
  handoffs: z.number().int(),
  messages: z.object({ total: z.number().int(), contact: z.number().int(), bot: z.number().int(), human: z.number().int() }),
});

interface SessionForMove {
  bot_id: string;
  contact_id: string;
  channel: Channel;
  status: (typeof STATUSES)[number];
  assigned_user_id: string | null;
  turns: number;
}

async function sessionForMove(tx: Tx, orgId: string, sessionId: string): Promise<SessionForMove> {
  const [s] = await tx<SessionForMove[]>`
    select s.bot_id, s.contact_id, s.channel, s.status, s.assigned_user_id,
      (select count(*)::int from public.conversation_messages m where m.organization_id = s.organization_id and m.session_id = s.id and m.role = 'user') as turns
    from public.conversation_sessions s where s.organization_id = ${orgId} and s.id = ${sessionId}`;
  if (!s) throw new HttpError(404, 'No such conversation');
  return s;
}

const closed = () => new HttpError(409, 'The conversation is closed');

export const botHandoffRoutes: RouteDef[] = [
  defineRoute<Record<string, never>, z.infer<typeof queueQuery>>({
    method: 'get',
    path: '/api/v1/orgs/:orgId/conversations/handoffs',
    summary: 'Conversations handed off to people across the organization’s bots, the oldest handoff first',
    tags: ['bots'],
    access: orgAccess('conversations', 'read'),
    query: queueQuery,
    response: z.object({ items: z.array(handoffSchema), nextCursor: z.string().nullable() }),
    async handler({ params, query, asUser, user }) {
      const orgId = params.orgId!;
      const after = decodeCursor(query.cursor);
      const rows = await asUser((tx) =>
        handoffRows(
          tx,
          orgId,
          tx`s.status = 'handed_off' ${query.botId ? tx`and s.bot_id = ${query.botId}` : tx``}`,
          tx`${after ? tx`where (x.sort_at, x.id) > ((${after.k}::timestamp at time zone 'UTC'), ${after.id}::uuid)` : tx``}
            order by x.sort_at, x.id limit ${query.limit + 1}`,
        ),
      );
      const items = rows.slice(0, query.limit);
      const last = items[items.length - 1];
      return { items: items.map((r) => toHandoff(r, user!.id)), nextCursor: rows.length > query.limit && last ? encodeCursor({ k: last.sort_key, id: last.id }) : null };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/orgs/:orgId/conversations/:sessionId/take-over',
    summary: 'Take a conversation over from the bot (it stays silent until handed back); taking it again is a no-op',
    tags: ['bots'],
    access: orgAccess('conversations', 'update'),
    response: handoffSchema,
    errors: { 409: 'The conversation is closed, or another person has it', 503: 'The conversation has not confirmed the handoff yet' },
    async handler({ params, asUser, services, user }) {
      const orgId = params.orgId!;
      const sessionId = params.sessionId!;
      const s = await asUser((tx) => sessionForMove(tx, orgId, sessionId));
      if (s.status === 'closed') throw closed();
      if (s.assigned_user_id && s.assigned_user_id !== user!.id) throw new HttpError(409, 'Another person has this conversation: they hand it back first');
      if (s.status === 'active') {
        const status = await moveConversation(services, { orgId, botId: s.bot_id, contactId: s.contact_id, channel: s.channel, turns: s.turns }, 'handed_off');
        if (status === 'closed') throw closed();
      }
      return asUser(async (tx) => {
        // The row lock orders two people taking the same conversation at once: the second finds it taken.
        const [taken] = await tx<{ id: string }[]>`
          update public.conversation_sessions set assigned_user_id = ${user!.id}, assigned_at = coalesce(assigned_at, now())
          where organization_id = ${orgId} and id = ${sessionId} and status = 'handed_off'
            and (assigned_user_id is null or assigned_user_id = ${user!.id})
          returning id`;
        if (!taken) throw new HttpError(409, 'The conversation moved meanwhile (closed, handed back, or taken by another person)');
        const [row] = await handoffRows(tx, orgId, tx`s.id = ${sessionId}`);
        return toHandoff(row!, user!.id);
      });
    },
  }),
  defineRoute<z.infer<typeof replyBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/conversations/:sessionId/reply',
    summary: "A person's reply to the contact of a handed-off conversation, sent through GHL on GHL channels",
    tags: ['bots'],
    access: orgAccess('conversations', 'update'),
    body: replyBody,
    status: 201,
    response: replyResponse,
    errors: { 409: 'The conversation is not handed off to people' },
    async handler({ params, body, asUser, services, res }) {
      const orgId = params.orgId!;
      const sessionId = params.sessionId!;
      const key = `human-reply:${sessionId}:${body.idempotencyKey ?? randomUUID()}`;
      const stored = await asUser(async (tx) => {
        // Locked: a hand-back or close waits for the reply to be stored, never the other way round.
        const [s] = await tx<{ status: string; channel: Channel; last_channel: Channel | null }[]>`
          select s.status, s.channel,
            (select m.channel from public.conversation_messages m where m.organization_id = s.organization_id and m.session_id = s.id
               and m.role = 'user' and m.channel is not null order by m.created_at desc, m.id desc limit 1) as last_channel
          from public.conversation_sessions s where s.organization_id = ${orgId} and s.id = ${sessionId}
          for update of s`;
        if (!s) throw new HttpError(404, 'No such conversation');
        const [earlier] = await tx<{ id: string }[]>`select id from public.conversation_messages where organization_id = ${orgId} and idempotency_key = ${key}`;
        if (!earlier && s.status !== 'handed_off') throw new HttpError(409, 'Only a conversation handed off to people takes their replies: take it over first');
        // The contact is answered where they last wrote.
        const channel = s.last_channel ?? s.channel;
        if (!earlier) {
          await tx`
            insert into public.conversation_messages (organization_id, session_id, role, channel, text, idempotency_key)
            values (${orgId}, ${sessionId}, 'human_agent', ${channel}, ${body.text}, ${key})`;
          await tx`update public.conversation_sessions set last_message_at = now() where organization_id = ${orgId} and id = ${sessionId}`;
        }
        const [m] = await tx<{ id: string; role: 'human_agent'; channel: Channel | null; text: string; created_at: Date }[]>`
          select id, role, channel, text, created_at from public.conversation_messages where organization_id = ${orgId} and idempotency_key = ${key}`;
        return { message: m!, duplicate: Boolean(earlier) };
      });
      const viaGhl = stored.message.channel !== null && MESSAGE_TYPE_OF_CHANNEL[stored.message.channel] !== undefined;
      // Started after the message is committed (the workflow reads it); a retry with the same key
      // starts it if the first call stopped in between, and is a no-op otherwise.
      if (viaGhl) await startHumanReplyDelivery(services, orgId, stored.message.id);
      if (stored.duplicate) res.locals.status = 200;
      const m = stored.message;
      return {
        message: { id: m.id, role: m.role, channel: m.channel, text: m.text, toolCalls: null, trace: null, createdAt: m.created_at.toISOString() },
        delivery: viaGhl ? 'queued' : 'not_sent',
        duplicate: stored.duplicate,
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/orgs/:orgId/conversations/:sessionId/hand-back',
    summary: 'Give a handed-off conversation back to the bot: it answers the next message; handing back again is a no-op',
    tags: ['bots'],
    access: orgAccess('conversations', 'update'),
    response: z.object({ id: z.uuid(), status: z.enum(STATUSES) }),
    errors: { 409: 'The conversation is closed', 503: 'The conversation has not confirmed the hand-back yet' },
    async handler({ params, asUser, services }) {
      const orgId = params.orgId!;
      const sessionId = params.sessionId!;
      const s = await asUser((tx) => sessionForMove(tx, orgId, sessionId));
      if (s.status === 'closed') throw closed();
      if (s.status === 'handed_off') {
        const status = await moveConversation(services, { orgId, botId: s.bot_id, contactId: s.contact_id, channel: s.channel, turns: s.turns }, 'active');
        if (status === 'closed') throw closed();
      }
      return { id: sessionId, status: 'active' as const };
    },
  }),
  defineRoute<Record<string, never>, z.infer<typeof statsQuery>>({
    method: 'get',
    path: '/api/v1/orgs/:orgId/bots/:botId/stats',
    summary: "A bot's numbers: conversations by status, goal completion, handoffs and messages, over the last `days` days or all time",
    tags: ['bots'],
    access: orgAccess('conversations', 'read'),
    query: statsQuery,
    response: statsResponse,
    async handler({ params, query, asUser }) {
      const orgId = params.orgId!;
      const botId = params.botId!;
      const days = query.days ?? null;
      return asUser(async (tx) => {
        // A deleted bot's numbers stay readable, like its conversations.
        const [bot] = await tx<{ goals: Array<{ id: string; name?: string }> }[]>`select goals from public.bots where organization_id = ${orgId} and id = ${botId}`;
        if (!bot) throw new HttpError(404, 'No such bot');
        const since = days === null ? tx`` : tx`and created_at >= now() - make_interval(days => ${days})`;
        const [c] = await tx<{ total: number; active: number; handed_off: number; closed: number; handoffs: number; completed: number }[]>`
          select count(*)::int as total,
            count(*) filter (where status = 'active')::int as active,
            count(*) filter (where status = 'handed_off')::int as handed_off,
            count(*) filter (where status = 'closed')::int as closed,
            count(*) filter (where handed_off_at is not null)::int as handoffs,
            count(*) filter (where closed_reason = 'goal_reached'
              or exists (select 1 from jsonb_each(goal_state) g where jsonb_typeof(g.value) = 'object' and g.value ->> 'reached' = 'true'))::int as completed
          from public.conversation_sessions where organization_id = ${orgId} and bot_id = ${botId} ${since}`;
        const byGoal = await tx<{ id: string; reached: number }[]>`
          select g.key as id, count(*)::int as reached
          from public.conversation_sessions s, jsonb_each(s.goal_state) g
          where s.organization_id = ${orgId} and s.bot_id = ${botId} ${days === null ? tx`` : tx`and s.created_at >= now() - make_interval(days => ${days})`}
            and jsonb_typeof(g.value) = 'object' and g.value ->> 'reached' = 'true'
          group by g.key order by g.key`;
        const [m] = await tx<{ total: number; contact: number; bot: number; human: number }[]>`
          select count(*)::int as total,
            count(*) filter (where m.role = 'user')::int as contact,
            count(*) filter (where m.role = 'assistant')::int as bot,
            count(*) filter (where m.role = 'human_agent')::int as human
          from public.conversation_messages m
          join public.conversation_sessions s on s.organization_id = m.organization_id and s.id = m.session_id
          where m.organization_id = ${orgId} and s.bot_id = ${botId}
            ${days === null ? tx`` : tx`and m.created_at >= now() - make_interval(days => ${days})`}`;
        const names = new Map((Array.isArray(bot.goals) ? bot.goals : []).map((g) => [g.id, g.name ?? null]));
        const reached = new Map(byGoal.map((g) => [g.id, g.reached]));
        // Every goal the bot has (reached or not), then goals only sessions remember (since removed from the bot).
        const ids = [...names.keys(), ...byGoal.map((g) => g.id).filter((id) => !names.has(id))];
        return {
          botId,
          days,
          conversations: { total: c!.total, active: c!.active, handedOff: c!.handed_off, closed: c!.closed },
          goals: {
            completed: c!.completed,
            completionRate: c!.total > 0 ? c!.completed / c!.total : null,
            byGoal: ids.map((id) => ({ id, name: names.get(id) ?? null, reached: reached.get(id) ?? 0 })),
          },
          handoffs: c!.handoffs,
          messages: m!,
        };
      });
    },
  }),
];
