/*
 * A bot's knowledge base: documents pasted or uploaded as text, markdown, FAQ or PDF, chunked,
 * listed, previewed, deleted and searched. Everything runs with the caller's claims: RLS (bots:*)
 * decides, as for every other table.
 */
import { ApplicationFailure } from '@temporalio/common';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { MAX_DOCUMENT_CHARS, MAX_QUERY_CHARS, MAX_RETRIEVE_LIMIT, liveBot, prepareDocument, rankedChunks, storeDocument } from '../../activities/bots/knowledge';
import { MAX_PDF_BYTES, PdfRefused, pdfText } from '../../activities/bots/pdf-text';
import { HttpError } from '../http/errors';
import { defineRoute, orgAccess, type RouteDef } from '../http/route';
import { readBot } from './bots';

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

export const botKnowledgeRoutes: RouteDef[] = [
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
