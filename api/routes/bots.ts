/*
 * Bots: persona, goals, guardrails, channels, mode and booking calendar (their knowledge base is
 * in bot-knowledge.ts). Everything runs with the caller's claims: RLS (bots:*) decides, as for
 * every other table.
 */
import { z } from 'zod';
import { GOAL_KINDS } from '../../bots/goals/progress';
import { BOT_TOOLS as TOOLS, CHANNELS, CONTACT_FIELDS } from '../../bots/vocabulary';
import type { Tx } from '../../db/tenant';
import { HttpError } from '../http/errors';
import { defineRoute, orgAccess, type RouteDef } from '../http/route';

// How the goal is recognised as reached (bots/goals/progress.ts): by the tool call that shows it.
const goalSchema = z
  .strictObject({
    id: z.string().trim().min(1).max(100).regex(/^[a-z0-9_-]+$/i, 'Letters, digits, - and _'),
    name: z.string().trim().min(1).max(200),
    description: z.string().trim().max(2000).default(''),
    kind: z.enum(GOAL_KINDS).default('custom'),
    field: z.enum(CONTACT_FIELDS).optional(),
    tag: z.string().trim().min(1).max(100).optional(),
  })
  .superRefine((g, ctx) => {
    if (g.kind === 'contact_field' && !g.field) ctx.addIssue({ code: 'custom', path: ['field'], message: 'Which contact field the goal collects' });
    if (g.kind === 'tag_added' && !g.tag) ctx.addIssue({ code: 'custom', path: ['tag'], message: 'Which tag reaches the goal' });
  });
const guardrailsSchema = z.strictObject({
  maxToolCallsPerTurn: z.number().int().min(0).max(20).default(4),
  fallbackMessage: z.string().trim().min(1).max(1000).default("Sorry, I can't help with that right now: a team member will get back to you."),
  allowedTools: z.array(z.enum(TOOLS)).max(TOOLS.length).default([...TOOLS]),
});

const fields = {
  name: z.string().trim().min(1, 'Required').max(200),
  mode: z.enum(['off', 'suggest', 'auto']),
  channels: z.array(z.enum(CHANNELS)).max(CHANNELS.length).refine((c) => new Set(c).size === c.length, 'Each channel once'),
  model: z.string().trim().min(1).max(200).nullable(),
  persona: z.string().max(5000),
  instructions: z.string().max(20_000),
  goals: z.array(goalSchema).max(20).refine((g) => new Set(g.map((x) => x.id)).size === g.length, 'Goal ids must differ'),
  guardrails: guardrailsSchema,
  replyDebounceMs: z.number().int().min(0).max(600_000),
  maxAutoMessages: z.number().int().min(0).max(10_000),
  sleepOnHumanReply: z.boolean(),
  idleTimeoutSeconds: z.number().int().min(60).max(31_536_000),
  /** The GHL calendar the booking tools use when a conversation names none; null: no booking. */
  calendarId: z.string().trim().min(1).max(100).nullable(),
};
const createBody = z.strictObject({ ...fields, name: fields.name }).partial().required({ name: true });
const patchBody = z.strictObject(fields).partial().refine((b) => Object.keys(b).length > 0, 'Send at least one field');
const COLUMNS: Record<keyof typeof fields, string> = {
  name: 'name',
  mode: 'mode',
  channels: 'channels',
  model: 'model',
  persona: 'persona',
  instructions: 'instructions',
  goals: 'goals',
  guardrails: 'guardrails',
  replyDebounceMs: 'reply_debounce_ms',
  maxAutoMessages: 'max_auto_messages',
  sleepOnHumanReply: 'sleep_on_human_reply',
  idleTimeoutSeconds: 'idle_timeout_seconds',
  calendarId: 'calendar_id',
};

export const botSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  mode: fields.mode,
  channels: z.array(z.string()),
  model: z.string().nullable(),
  persona: z.string(),
  instructions: z.string(),
  goals: z.array(goalSchema),
  guardrails: guardrailsSchema,
  replyDebounceMs: z.number(),
  maxAutoMessages: z.number(),
  sleepOnHumanReply: z.boolean(),
  idleTimeoutSeconds: z.number(),
  calendarId: z.string().nullable(),
  knowledgeDocuments: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** In the trash only: when it was deleted and the last moment it may be restored. */
  deletedAt: z.string().optional(),
  restorableUntil: z.string().nullable().optional(),
});

interface BotRow {
  id: string;
  name: string;
  mode: 'off' | 'suggest' | 'auto';
  channels: string[];
  model: string | null;
  persona: string;
  instructions: string;
  goals: z.infer<typeof goalSchema>[];
  guardrails: Partial<z.infer<typeof guardrailsSchema>>;
  reply_debounce_ms: number;
  max_auto_messages: number;
  sleep_on_human_reply: boolean;
  idle_timeout_seconds: number;
  calendar_id: string | null;
  knowledge_documents: number;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  restorable_until?: Date | null;
}

const toBot = (r: BotRow): z.infer<typeof botSchema> => ({
  id: r.id,
  name: r.name,
  mode: r.mode,
  channels: r.channels,
  model: r.model,
  persona: r.persona,
  instructions: r.instructions,
  goals: r.goals,
  // Rows written before a guardrail existed read with its default.
  guardrails: guardrailsSchema.parse(r.guardrails),
  replyDebounceMs: r.reply_debounce_ms,
  maxAutoMessages: r.max_auto_messages,
  sleepOnHumanReply: r.sleep_on_human_reply,
  idleTimeoutSeconds: r.idle_timeout_seconds,
  calendarId: r.calendar_id,
  knowledgeDocuments: r.knowledge_documents,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  ...(r.deleted_at ? { deletedAt: r.deleted_at.toISOString(), restorableUntil: r.restorable_until?.toISOString() ?? null } : {}),
});

const selectBots = (tx: Tx, orgId: string, deleted = false) => tx`
  select b.*, (select count(*)::int from public.knowledge_documents d where d.organization_id = b.organization_id and d.bot_id = b.id) as knowledge_documents,
    case when b.deleted_at is not null then app.restorable_until(b.organization_id, b.deleted_at) end as restorable_until
  from public.bots b where b.organization_id = ${orgId} and ${deleted ? tx`b.deleted_at is not null` : tx`b.deleted_at is null`}`;

export async function readBot(tx: Tx, orgId: string, botId: string) {
  const [row] = await tx<BotRow[]>`${selectBots(tx, orgId)} and b.id = ${botId}`;
  if (!row) throw new HttpError(404, 'No such bot');
  return toBot(row);
}

/** Row values for the columns sent (jsonb columns as JSON). */
function columnsOf(tx: Tx, body: Partial<Record<keyof typeof fields, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(body).map(([k, v]) => [COLUMNS[k as keyof typeof fields], k === 'goals' || k === 'guardrails' ? tx.json(v as never) : v]),
  );
}

const listQuery = z.strictObject({
  /** true: the trash instead (deleted bots, most recently deleted first, with when each stops being restorable). */
  deleted: z.enum(['true', 'false']).default('false'),
});

const nameTaken = (err: unknown) => (err as { code?: string; constraint_name?: string })?.code === '23505' && (err as { constraint_name?: string }).constraint_name === 'bots_live_name_idx';

export const botRoutes: RouteDef[] = [
  defineRoute<Record<string, never>, z.infer<typeof listQuery>>({
    method: 'get',
    path: '/api/v1/orgs/:orgId/bots',
    summary: 'Bots of the organization, by name; deleted=true lists the trash, most recently deleted first',
    tags: ['bots'],
    access: orgAccess('bots', 'read'),
    query: listQuery,
    response: z.object({ items: z.array(botSchema) }),
    async handler({ params, query, asUser }) {
      const rows = await asUser((tx) =>
        query.deleted === 'true'
          ? tx<BotRow[]>`${selectBots(tx, params.orgId!, true)} order by b.deleted_at desc, b.id`
          : tx<BotRow[]>`${selectBots(tx, params.orgId!)} order by b.name, b.id`,
      );
      return { items: rows.map(toBot) };
    },
  }),
  defineRoute<z.infer<typeof createBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/bots',
    summary: 'Create a bot (mode off until you turn it on)',
    tags: ['bots'],
    access: orgAccess('bots', 'create'),
    body: createBody,
    status: 201,
    response: botSchema,
    errors: { 409: 'Another bot has this name' },
    async handler({ params, body, asUser }) {
      const orgId = params.orgId!;
      return asUser(async (tx) => {
        const row = { organization_id: orgId, ...columnsOf(tx, { ...body, guardrails: guardrailsSchema.parse(body.guardrails ?? {}) }) };
        const [inserted] = await tx<{ id: string }[]>`insert into public.bots ${tx(row)} returning id`;
        return readBot(tx, orgId, inserted!.id);
      }).catch((err: unknown) => {
        if (nameTaken(err)) throw new HttpError(409, 'Another bot has this name', [{ path: 'name', message: 'Already used in this organization' }]);
        throw err;
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/bots/:botId',
    summary: 'A bot',
    tags: ['bots'],
    access: orgAccess('bots', 'read'),
    response: botSchema,
    async handler({ params, asUser }) {
      return asUser((tx) => readBot(tx, params.orgId!, params.botId!));
    },
  }),
  defineRoute<z.infer<typeof patchBody>>({
    method: 'patch',
    path: '/api/v1/orgs/:orgId/bots/:botId',
    summary: 'Change a bot',
    tags: ['bots'],
    access: orgAccess('bots', 'update'),
    body: patchBody,
    response: botSchema,
    errors: { 409: 'Another bot has this name' },
    async handler({ params, body, asUser }) {
      const orgId = params.orgId!;
      return asUser(async (tx) => {
        const updated = await tx`
          update public.bots set ${tx(columnsOf(tx, body))}
          where organization_id = ${orgId} and id = ${params.botId!} and deleted_at is null returning id`;
        if (updated.length === 0) throw new HttpError(404, 'No such bot');
        return readBot(tx, orgId, params.botId!);
      }).catch((err: unknown) => {
        if (nameTaken(err)) throw new HttpError(409, 'Another bot has this name', [{ path: 'name', message: 'Already used in this organization' }]);
        throw err;
      });
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/orgs/:orgId/bots/:botId',
    summary: 'Delete a bot (soft: its conversations and knowledge stay for the retention period)',
    tags: ['bots'],
    access: orgAccess('bots', 'delete'),
    async handler({ params, asUser }) {
      const rows = await asUser((tx) => tx`
        update public.bots set deleted_at = now(), mode = 'off'
        where organization_id = ${params.orgId!} and id = ${params.botId!} and deleted_at is null returning id`);
      if (rows.length === 0) throw new HttpError(404, 'No such bot');
      return undefined;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/orgs/:orgId/bots/:botId/restore',
    summary: 'Bring a deleted bot back from the trash, turned off, while the trash retention period lasts',
    tags: ['bots'],
    access: orgAccess('bots', 'delete'),
    response: botSchema,
    errors: { 409: 'The bot is not deleted, was deleted longer ago than the trash retention period, or another bot took its name' },
    async handler({ params, asUser }) {
      const orgId = params.orgId!;
      return asUser(async (tx) => {
        const [found] = await tx<{ deleted_at: Date | null; restorable: boolean | null }[]>`
          select deleted_at, app.in_restore_window(organization_id, deleted_at) as restorable
          from public.bots where organization_id = ${orgId} and id = ${params.botId!}`;
        if (!found) throw new HttpError(404, 'No such bot');
        if (!found.deleted_at) throw new HttpError(409, 'This bot is not deleted');
        if (!found.restorable) {
          throw new HttpError(409, 'This bot was deleted longer ago than the trash retention period (trashRetentionDays) and can no longer be restored');
        }
        // It comes back off (deleting turned it off): its persona, knowledge and channels may be
        // stale by now, so answering contacts again is a decision someone makes, not a side effect.
        await tx`
          update public.bots set deleted_at = null, mode = 'off'
          where organization_id = ${orgId} and id = ${params.botId!} and deleted_at is not null`;
        return readBot(tx, orgId, params.botId!);
      }).catch((err: unknown) => {
        if (nameTaken(err)) {
          throw new HttpError(409, 'Another bot took this name since this one was deleted: rename that one first', [
            { path: 'name', message: 'Already used in this organization' },
          ]);
        }
        throw err;
      });
    },
  }),
];
