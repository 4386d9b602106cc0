/*
 * A bot's conversation graph: the draft (chatbot_workflows version 0, saved as the canvas edits
 * it and compiled for problems on every save), publishing it as a new immutable version that
 * the bot's new conversations follow, and unpublishing (back to free conversation with goals
 * and tools). Everything runs with the caller's claims: RLS (bots:*) decides.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { compileBotGraph } from '../../bots/graph/compile';
import type { Tx } from '../../db/tenant';
import type { CompileResult } from '../../flows/types';
import { problemPath } from '../flows/compile';
import { HttpError } from '../http/errors';
import { defineRoute, orgAccess, type RouteDef } from '../http/route';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const EMPTY = { nodes: [], edges: [] };

const problemSchema = z.object({
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  path: z.string(),
  message: z.string(),
  severity: z.enum(['error', 'warning']),
  nodeIds: z.array(z.string()).optional(),
});
const graphSchema = z.object({
  definition: z.object({ nodes: z.array(z.unknown()), edges: z.array(z.unknown()) }),
  problems: z.array(problemSchema),
  publishedVersion: z.number().int().nullable(),
  updatedAt: z.string().nullable(),
});
// The shape is checked by the compiler (problems with node ids), not refused here.
const saveBody = z.strictObject({ definition: z.object({ nodes: z.array(z.unknown()).max(500), edges: z.array(z.unknown()).max(2000) }) });

interface BotRow {
  goals: Array<{ id: string }>;
  graph_version: number | null;
}

async function botOf(tx: Tx, orgId: string, botId: string): Promise<BotRow> {
  const [bot] = await tx<BotRow[]>`select goals, graph_version from public.bots where organization_id = ${orgId} and id = ${botId} and deleted_at is null`;
  if (!bot) throw new HttpError(404, 'No such bot');
  return bot;
}

const compileFor = (bot: BotRow, definition: unknown): CompileResult => compileBotGraph(definition, { hash: sha256, goalIds: bot.goals.map((g) => g.id) });

async function graphOf(tx: Tx, orgId: string, botId: string, bot: BotRow) {
  const [draft] = await tx<{ definition: unknown; updated_at: Date }[]>`
    select definition, updated_at from public.chatbot_workflows where organization_id = ${orgId} and bot_id = ${botId} and version = 0`;
  const definition = (draft?.definition ?? EMPTY) as { nodes: unknown[]; edges: unknown[] };
  return { definition, problems: compileFor(bot, definition).problems, publishedVersion: bot.graph_version, updatedAt: draft?.updated_at.toISOString() ?? null };
}

export const botGraphRoutes: RouteDef[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/bots/:botId/graph',
    summary: "A bot's graph draft with its problems, and the published version its conversations follow",
    tags: ['bots'],
    access: orgAccess('bots', 'read'),
    response: graphSchema,
    async handler({ params, asUser }) {
      return asUser(async (tx) => graphOf(tx, params.orgId!, params.botId!, await botOf(tx, params.orgId!, params.botId!)));
    },
  }),
  defineRoute<z.infer<typeof saveBody>>({
    method: 'put',
    path: '/api/v1/orgs/:orgId/bots/:botId/graph',
    summary: "Saves a bot's graph draft (kept even with problems; publishing refuses errors)",
    tags: ['bots'],
    access: orgAccess('bots', 'update'),
    body: saveBody,
    response: graphSchema,
    async handler({ params, body, asUser }) {
      const orgId = params.orgId!;
      const botId = params.botId!;
      return asUser(async (tx) => {
        const bot = await botOf(tx, orgId, botId);
        await tx`
          insert into public.chatbot_workflows (organization_id, bot_id, version, definition)
          values (${orgId}, ${botId}, 0, ${tx.json(body.definition as never)})
          on conflict (organization_id, bot_id, version) do update set definition = excluded.definition`;
        return graphOf(tx, orgId, botId, bot);
      });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/orgs/:orgId/bots/:botId/graph/publish',
    summary: "Publishes the draft as the bot's next graph version: new conversations follow it (running ones keep theirs)",
    tags: ['bots'],
    access: orgAccess('bots', 'update'),
    response: z.object({ version: z.number().int(), problems: z.array(problemSchema) }),
    errors: { 422: 'The graph has errors (all of them in `problems`)' },
    async handler({ params, asUser, res }) {
      const orgId = params.orgId!;
      const botId = params.botId!;
      res.locals.status = 200;
      return asUser(async (tx) => {
        const bot = await botOf(tx, orgId, botId);
        // One publisher at a time per bot: versions are consecutive.
        await tx`select 1 from public.bots where organization_id = ${orgId} and id = ${botId} for update`;
        const { definition } = await graphOf(tx, orgId, botId, bot);
        const compiled = compileFor(bot, definition);
        if (!compiled.ok || definition.nodes.length === 0) {
          const problems = compiled.ok ? [{ path: '', message: 'the graph is empty', severity: 'error' as const }] : compiled.problems;
          const errors = problems.filter((p) => p.severity === 'error');
          throw new HttpError(422, `The graph has ${errors.length} problem(s); fix them before publishing`, errors.map((p) => ({ path: problemPath(p), message: p.message })), undefined, { problems });
        }
        const [row] = await tx<{ version: number }[]>`
          insert into public.chatbot_workflows (organization_id, bot_id, version, definition, ir, hash)
          select ${orgId}, ${botId}, coalesce(max(version), 0) + 1, ${tx.json(definition as never)}, ${tx.json(compiled.ir as never)}, ${compiled.ir.hash}
          from public.chatbot_workflows where organization_id = ${orgId} and bot_id = ${botId}
          returning version`;
        await tx`update public.bots set graph_version = ${row!.version} where organization_id = ${orgId} and id = ${botId}`;
        return { version: row!.version, problems: compiled.problems };
      });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/orgs/:orgId/bots/:botId/graph/unpublish',
    summary: 'New conversations of the bot no longer follow a graph (free conversation with goals and tools)',
    tags: ['bots'],
    access: orgAccess('bots', 'update'),
    response: z.object({ publishedVersion: z.null() }),
    async handler({ params, asUser, res }) {
      res.locals.status = 200;
      return asUser(async (tx) => {
        await botOf(tx, params.orgId!, params.botId!);
        await tx`update public.bots set graph_version = null where organization_id = ${params.orgId!} and id = ${params.botId!}`;
        return { publishedVersion: null };
      });
    },
  }),
];
