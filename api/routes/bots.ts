/*
 * Bots (persona, goals, guardrails, channels, booking calendar) and their knowledge base:
 * documents pasted or uploaded as text, markdown, FAQ or PDF, chunked and searchable. Everything runs with the caller's
 * claims: RLS (bots:*) decides, as for every other table.
 */
import { ApplicationFailure } from '@temporalio/common';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { MAX_DOCUMENT_CHARS, MAX_QUERY_CHARS, MAX_RETRIEVE_LIMIT, liveBot, prepareDocument, rankedChunks, storeDocument } from '../../activities/bots/knowledge';
import { MAX_PDF_BYTES, PdfRefused, pdfText } from '../../activities/bots/pdf-text';
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
});

const selectBots = (tx: Tx, orgId: string) => tx`
  select b.*, (select count(*)::int from public.knowledge_documents d where d.organization_id = b.organization_id and d.bot_id = b.id) as knowledge_documents
  from public.bots b where b.organization_id = ${orgId} and b.deleted_at is null`;

async function readBot(tx: Tx, orgId: string, botId: string) {
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

const nameTaken = (err: unknown) => (err as { code?: string; constraint_name?: string })?.code === '23505' && (err as { constraint_name?: string }).constraint_name === 'bots_live_name_idx';

const documentSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  sourceKind: z.enum(['text', 'markdown', 'faq', 'pdf']),
  fileName: z.string().nullable(),
  sizeBytes: z.number(),
  chunkCount: z.number(),
  status: z.enum(['processing', 'ready', 'failed']),
  createdAt: z.string(),
});
interface DocumentRow {
  id: string;
  title: string;
  source_kind: 'text' | 'markdown' | 'faq' | 'pdf';
  file_name: string | null;
  size_bytes: number;
  chunk_count: number;
  status: 'processing' | 'ready' | 'failed';
  created_at: Date;
}
const toDocument = (r: DocumentRow) => ({
  id: r.id,
  title: r.title,
  sourceKind: r.source_kind,
  fileName: r.file_name,
  sizeBytes: r.size_bytes,
  chunkCount: r.chunk_count,
  status: r.status,
  createdAt: r.created_at.toISOString(),
});

const knowledgeBody = z.strictObject({
  title: z.string().trim().min(1, 'Required').max(300),
  sourceKind: z.enum(['text', 'markdown', 'faq']),
  text: z
    .string()
    .max(MAX_DOCUMENT_CHARS, `At most ${MAX_DOCUMENT_CHARS} characters`)
    .refine((t) => t.trim().length > 0, 'The document has no text')
    .refine((t) => !t.includes('\u0000'), 'The text looks binary (NUL characters): paste or upload text'),
  fileName: z.string().trim().min(1).max(300).optional(),
});
const searchBody = z.strictObject({ query: z.string().trim().min(1, 'Required').max(MAX_QUERY_CHARS), limit: z.number().int().min(1).max(MAX_RETRIEVE_LIMIT).optional() });

/** A refused ingestion (the activity's own checks) as the problem a person can act on. */
function asProblem(err: unknown, path = 'text'): unknown {
  if (err instanceof ApplicationFailure && err.type === 'NotFound') return new HttpError(404, 'No such bot');
  if (err instanceof ApplicationFailure && err.type === 'InvalidInput') return new HttpError(422, err.message, [{ path, message: err.message }]);
  if (err instanceof PdfRefused) return new HttpError(422, err.message, [{ path: 'body', message: err.message }]);
  return err;
}

const pdfQuery = z.strictObject({
  title: z.string().trim().min(1).max(300).optional(),
  fileName: z.string().trim().min(1).max(300).optional(),
});
const readPdfBody = express.raw({ type: 'application/pdf', limit: MAX_PDF_BYTES });
const MAX_PDF_MB = MAX_PDF_BYTES / 1024 / 1024;

/**
 * The uploaded PDF's bytes. Read by the handler, not by route middleware, so a caller is
 * authenticated and allowed before megabytes are buffered (and the route table's check that a
 * bodiless route gets no JSON body still holds).
 */
async function pdfUpload(req: Request, res: Response): Promise<Buffer> {
  await new Promise<void>((resolve, reject) => {
    void readPdfBody(req, res, (err?: unknown) => (err ? reject(err as Error) : resolve()));
  }).catch((err: unknown) => {
    if ((err as { type?: string }).type === 'entity.too.large') throw new HttpError(413, `The PDF is larger than ${MAX_PDF_MB} MB`, [{ path: 'body', message: `At most ${MAX_PDF_MB} MB` }]);
    throw err;
  });
  const body: unknown = req.body;
  if (!Buffer.isBuffer(body)) throw new HttpError(415, 'Send the PDF itself as the request body, with Content-Type: application/pdf');
  if (body.length === 0) throw new HttpError(422, 'The PDF is empty', [{ path: 'body', message: 'Empty file' }]);
  return body;
}

/** A PDF's title when none is given: its file name without the extension. */
const titleOf = (fileName: string | undefined) => fileName?.replace(/\.pdf$/i, '').trim() || 'PDF document';

export const botRoutes: RouteDef[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/bots',
    summary: 'Bots of the organization, by name',
    tags: ['bots'],
    access: orgAccess('bots', 'read'),
    response: z.object({ items: z.array(botSchema) }),
    async handler({ params, asUser }) {
      const rows = await asUser((tx) => tx<BotRow[]>`${selectBots(tx, params.orgId!)} order by b.name, b.id`);
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
    method: 'get',
    path: '/api/v1/orgs/:orgId/bots/:botId/knowledge',
    summary: "A bot's knowledge documents, newest first",
    tags: ['bots'],
    access: orgAccess('bots', 'read'),
    response: z.object({ items: z.array(documentSchema) }),
    async handler({ params, asUser }) {
      const orgId = params.orgId!;
      return asUser(async (tx) => {
        await readBot(tx, orgId, params.botId!);
        const rows = await tx<DocumentRow[]>`
          select * from public.knowledge_documents where organization_id = ${orgId} and bot_id = ${params.botId!} order by created_at desc, id`;
        return { items: rows.map(toDocument) };
      });
    },
  }),
  defineRoute<z.infer<typeof knowledgeBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/bots/:botId/knowledge',
    summary: 'Add a document (pasted text, markdown or an FAQ) to a bot: chunked and searchable at once; the same text again answers the first (200)',
    tags: ['bots'],
    access: orgAccess('bots', 'create'),
    body: knowledgeBody,
    status: 201,
    response: z.object({ document: documentSchema, created: z.boolean() }),
    async handler({ params, body, asUser, res, services }) {
      const orgId = params.orgId!;
      const botId = params.botId!;
      try {
        const prepared = prepareDocument(body);
        return await asUser(async (tx) => {
          const stored = await storeDocument(tx, { orgId, botId, sourceKind: body.sourceKind, fileName: body.fileName }, prepared, services.embedder);
          if (!stored.created) res.locals.status = 200;
          const [row] = await tx<DocumentRow[]>`select * from public.knowledge_documents where organization_id = ${orgId} and id = ${stored.documentId}`;
          return { document: toDocument(row!), created: stored.created };
        });
      } catch (err) {
        throw asProblem(err);
      }
    },
  }),
  defineRoute<Record<string, never>, z.infer<typeof pdfQuery>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/bots/:botId/knowledge/pdf',
    summary: `Upload a PDF (the file itself as the body, Content-Type: application/pdf, at most ${MAX_PDF_MB} MB) to a bot: its text, page by page, chunked and searchable at once (each chunk headed with its page); the same text again answers the first (200). A PDF without text to extract (damaged, password-protected, scanned images only) is refused and nothing is stored.`,
    tags: ['bots'],
    access: orgAccess('bots', 'create'),
    query: pdfQuery,
    status: 201,
    response: z.object({ document: documentSchema, created: z.boolean() }),
    errors: { 413: `The PDF is larger than ${MAX_PDF_MB} MB`, 415: 'The body is not a PDF (Content-Type: application/pdf)' },
    async handler({ params, query, asUser, req, res, services }) {
      const orgId = params.orgId!;
      const botId = params.botId!;
      try {
        // Another organization's bot is a 404 before its upload costs anything.
        await asUser((tx) => liveBot(tx, orgId, botId));
        const bytes = await pdfUpload(req, res);
        const text = await pdfText(bytes);
        // The document's size is the file's, as the person uploading it knows it.
        const prepared = { ...prepareDocument({ title: query.title ?? titleOf(query.fileName), sourceKind: 'pdf', text }), size: bytes.length };
        return await asUser(async (tx) => {
          const stored = await storeDocument(tx, { orgId, botId, sourceKind: 'pdf', fileName: query.fileName }, prepared, services.embedder);
          if (!stored.created) res.locals.status = 200;
          const [row] = await tx<DocumentRow[]>`select * from public.knowledge_documents where organization_id = ${orgId} and id = ${stored.documentId}`;
          return { document: toDocument(row!), created: stored.created };
        });
      } catch (err) {
        throw asProblem(err, 'body');
      }
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/bots/:botId/knowledge/:documentId/chunks',
    summary: "A document's chunks, in order (what retrieval can quote)",
    tags: ['bots'],
    access: orgAccess('bots', 'read'),
    response: z.object({ items: z.array(z.object({ id: z.uuid(), position: z.number(), heading: z.string().nullable(), content: z.string() })) }),
    async handler({ params, asUser }) {
      const orgId = params.orgId!;
      return asUser(async (tx) => {
        const [doc] = await tx`select 1 from public.knowledge_documents where organization_id = ${orgId} and bot_id = ${params.botId!} and id = ${params.documentId!}`;
        if (!doc) throw new HttpError(404, 'No such document');
        const rows = await tx<{ id: string; position: number; heading: string | null; content: string }[]>`
          select id, position, heading, content from public.knowledge_chunks
          where organization_id = ${orgId} and document_id = ${params.documentId!} order by position`;
        return { items: rows };
      });
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/orgs/:orgId/bots/:botId/knowledge/:documentId',
    summary: 'Remove a document and its chunks from a bot',
    tags: ['bots'],
    access: orgAccess('bots', 'delete'),
    async handler({ params, asUser }) {
      const rows = await asUser((tx) => tx`
        delete from public.knowledge_documents where organization_id = ${params.orgId!} and bot_id = ${params.botId!} and id = ${params.documentId!} returning id`);
      if (rows.length === 0) throw new HttpError(404, 'No such document');
      return undefined;
    },
  }),
  defineRoute<z.infer<typeof searchBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/bots/:botId/knowledge/search',
    summary: "What the bot would retrieve for a message: its best chunks, best first, with their scores",
    tags: ['bots'],
    access: orgAccess('bots', 'read'),
    body: searchBody,
    response: z.object({ items: z.array(z.object({ chunkId: z.uuid(), documentId: z.uuid(), title: z.string(), heading: z.string().nullable(), content: z.string(), score: z.number() })) }),
    async handler({ params, body, asUser, services }) {
      const orgId = params.orgId!;
      try {
        return await asUser(async (tx) => {
          await liveBot(tx, orgId, params.botId!);
          return { items: await rankedChunks(tx, orgId, params.botId!, body.query, body.limit ?? 5, services.embedder) };
        });
      } catch (err) {
        throw asProblem(err);
      }
    },
  }),
];
