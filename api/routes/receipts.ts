/*
 * Opportunity receipts: upload (multipart, sniffed and checked, deduplicated by content),
 * list, read, download, delete (soft), and a person's decision (confirm with edits, reject,
 * read again) handed to the receipt's workflow. Reads and writes run with the caller's claims.
 */
import { createHash, randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { extractedReceiptSchema } from '../../receipts/extraction';
import { emptyReceipt } from '../../activities/receipts/records';
import { receiptWorkflowId } from '../../workflows/receipts/messages';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { HttpError } from '../http/errors';
import { defineRoute, orgAccess, type RouteContext, type RouteDef } from '../http/route';
import { checkReceiptFile, FileRefused } from '../../activities/receipts/file-check';
import { readUpload } from '../receipts/multipart';
import { findOpportunity } from '../receipts/opportunity';
import { loadReceipt, loadReceipts, RECEIPT_STATUSES, receiptSchema, type ReceiptView } from '../receipts/view';
import { decideReceipt, startReceipt, withdrawReceipt } from '../receipts/workflows';

const uploadResult = z.object({ receipt: receiptSchema, duplicate: z.boolean() });
const listQuery = z.strictObject({
  status: z.enum(RECEIPT_STATUSES).optional(),
  opportunityId: z.string().trim().min(1).max(100).optional(),
  contactId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().optional(),
});
const confirmBody = z.strictObject({
  edits: extractedReceiptSchema.partial().optional(),
  createSale: z.boolean().optional(),
});
const rejectBody = z.strictObject({ reason: z.string().trim().min(1, 'Say why the receipt is rejected').max(2000) });

type Ctx = RouteContext<unknown, unknown>;
const ui = (ctx: Ctx) => ctx.services.temporalUi;

/** The receipt as the caller sees it now. */
const current = (ctx: Ctx, receiptId: string) => ctx.asUser((tx) => loadReceipt(tx, ctx.params.orgId!, receiptId, ui(ctx)));

/** The same bytes already in the organization, if the caller may see them. */
async function sameBytes(ctx: Ctx, sha256: string): Promise<ReceiptView | 'hidden' | null> {
  const orgId = ctx.params.orgId!;
  return ctx.asUser(async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      select id from public.opportunity_receipts where organization_id = ${orgId} and sha256 = ${sha256} and deleted_at is null`;
    if (row) return loadReceipt(tx, orgId, row.id, ui(ctx));
    // Someone else's upload (a rep sees only their own): the unique index still knows it.
    const [taken] = await tx<{ taken: boolean }[]>`select app.receipt_sha_taken(${orgId}, ${sha256}) as taken`;
    return taken?.taken ? 'hidden' : null;
  });
}

const DUPLICATE_HIDDEN = 'This file was already uploaded in this organization by someone else; ask a manager to find it';

export const receiptRoutes: RouteDef[] = [
  defineRoute({
    method: 'post',
    path: '/api/v1/orgs/:orgId/opportunities/:opportunity/receipts',
    summary:
      'Upload a receipt for a GoHighLevel opportunity: multipart/form-data with the file in `file` (JPEG, PNG, WebP or a PDF with text; the type is read from the content) ' +
      'and optionally `contactId`. It is read by the vision model in the workflow `receipt:<orgId>:<receiptId>`. The same bytes again answer the earlier receipt (200, duplicate: true) and nothing is stored or read twice.',
    tags: ['receipts'],
    access: orgAccess('receipts', 'create'),
    status: 201,
    response: uploadResult,
    errors: {
      404: 'The opportunity is not in your GoHighLevel location (or GoHighLevel is not connected)',
      409: 'The file was already uploaded by someone else',
      413: 'The file is over the size limit',
      415: 'Not multipart, or not a JPEG, PNG, WebP or PDF',
    },
    async handler(ctx) {
      const { params, services, res } = ctx;
      const orgId = params.orgId!;
      const upload = await readUpload(ctx.req, { field: 'file', maxBytes: services.receipts.maxBytes });
      const contactId = upload.fields.contactId?.trim() || undefined;
      if (contactId && !z.uuid().safeParse(contactId).success) throw new HttpError(422, 'contactId is not an id', [{ path: 'contactId', message: 'Invalid UUID' }]);
      const contentType = await checkReceiptFile(upload.bytes).catch((err: unknown) => {
        if (err instanceof FileRefused) throw new HttpError(err.status, err.message, [{ path: 'file', message: err.message }]);
        throw err;
      });
      const sha256 = createHash('sha256').update(upload.bytes).digest('hex');
      const earlier = await sameBytes(ctx as Ctx, sha256);
      if (earlier === 'hidden') throw new HttpError(409, DUPLICATE_HIDDEN);
      if (earlier) {
        res.locals.status = 200;
        return { receipt: earlier, duplicate: true };
      }
      const opportunity = await findOpportunity(services, orgId, params.opportunity!);
      const receiptId = randomUUID();
      const storageKey = `${orgId}/${receiptId}`;
      const workflowId = receiptWorkflowId(orgId, receiptId);
      // The file first, then the row that names it: a row never points at nothing. A row that
      // loses the race for these bytes removes its file again.
      await services.receipts.storage.put(storageKey, upload.bytes, contentType);
      const inserted = await ctx
        .asUser(async (tx) => {
          const [contact] = contactId
            ? await tx<{ id: string }[]>`select id from public.contacts where organization_id = ${orgId} and id = ${contactId}`
            : opportunity.ghlContactId
              ? await tx<{ id: string }[]>`select id from public.contacts where organization_id = ${orgId} and ghl_contact_id = ${opportunity.ghlContactId}`
              : [];
          if (contactId && !contact) throw new HttpError(422, 'No such contact in this organization', [{ path: 'contactId', message: 'not a contact of this organization' }]);
          await tx`
            insert into public.opportunity_receipts (id, organization_id, ghl_opportunity_id, contact_id, file_name, content_type, size_bytes, sha256, storage_key, workflow_id)
            values (${receiptId}, ${orgId}, ${opportunity.id}, ${contact?.id ?? null}, ${upload.fileName}, ${contentType}, ${upload.bytes.length}, ${sha256}, ${storageKey}, ${workflowId})`;
          return true;
        })
        .catch(async (err: unknown) => {
          await services.receipts.storage.delete(storageKey);
          if ((err as { code?: string }).code === '23505') return false;
          throw err;
        });
      if (!inserted) {
        const raced = await sameBytes(ctx as Ctx, sha256);
        if (raced === 'hidden' || raced === null) throw new HttpError(409, DUPLICATE_HIDDEN);
        res.locals.status = 200;
        return { receipt: raced, duplicate: true };
      }
      // A start that fails leaves the receipt 'uploaded': POST .../retry starts it.
      await startReceipt(services, orgId, receiptId).catch(() => undefined);
      return { receipt: await current(ctx as Ctx, receiptId), duplicate: false };
    },
  }),
  defineRoute<Record<string, never>, z.infer<typeof listQuery>>({
    method: 'get',
    path: '/api/v1/orgs/:orgId/receipts',
    summary: "Receipts of the organization, newest first: all, an opportunity's (?opportunityId=, GHL's id), a contact's (?contactId=), or by status (?status=needs_review: the review queue); keyset pages with nextCursor",
    tags: ['receipts'],
    access: orgAccess('receipts', 'read'),
    query: listQuery,
    response: z.object({ items: z.array(receiptSchema), nextCursor: z.string().nullable() }),
    async handler(ctx) {
      const limit = ctx.query.limit ?? 50;
      const cursor = decodeCursor(ctx.query.cursor);
      const rows = await ctx.asUser((tx) =>
        loadReceipts(tx, ctx.params.orgId!, ui(ctx as Ctx), {
          ...(ctx.query.status ? { status: ctx.query.status } : {}),
          ...(ctx.query.opportunityId ? { opportunityId: ctx.query.opportunityId } : {}),
          ...(ctx.query.contactId ? { contactId: ctx.query.contactId } : {}),
          ...(cursor ? { before: { createdAt: cursor.k, id: cursor.id } } : {}),
          limit: limit + 1,
        }),
      );
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > limit && last ? encodeCursor({ k: last.createdAt, id: last.id }) : null };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/receipts/:receiptId',
    summary: 'A receipt: what the model read, how sure it was, why it needs review, and its sale',
    tags: ['receipts'],
    access: orgAccess('receipts', 'read'),
    response: receiptSchema,
    async handler(ctx) {
      return current(ctx as Ctx, ctx.params.receiptId!);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/orgs/:orgId/receipts/:receiptId/file',
    summary: "The receipt's file as uploaded (streamed, with its checked Content-Type)",
    tags: ['receipts'],
    access: orgAccess('receipts', 'read'),
    async handler(ctx) {
      const orgId = ctx.params.orgId!;
      const row = await ctx.asUser(async (tx) => {
        const [r] = await tx<{ storage_key: string; file_name: string; content_type: string }[]>`
          select storage_key, file_name, content_type from public.opportunity_receipts
          where organization_id = ${orgId} and id = ${ctx.params.receiptId!} and deleted_at is null`;
        return r;
      });
      if (!row) throw new HttpError(404, 'No such receipt');
      const stored = await ctx.services.receipts.storage.get(row.storage_key);
      if (!stored) throw new HttpError(404, 'The receipt file is missing from storage');
      const { res } = ctx;
      res.status(200);
      res.setHeader('Content-Type', row.content_type);
      res.setHeader('Content-Length', String(stored.sizeBytes));
      res.setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(row.file_name)}`);
      // Served as what it was checked to be, never sniffed into something else by a browser.
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox");
      res.setHeader('Cache-Control', 'private, no-store');
      await pipeline(stored.body, res);
      return undefined;
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/orgs/:orgId/receipts/:receiptId',
    summary: 'Delete a receipt (soft: it leaves every list, its review ends; the file is kept for the retention period). Its sale stays.',
    tags: ['receipts'],
    access: orgAccess('receipts', 'delete'),
    async handler(ctx) {
      const orgId = ctx.params.orgId!;
      const receiptId = ctx.params.receiptId!;
      const deleted = await ctx.asUser((tx) => tx`
        update public.opportunity_receipts set deleted_at = now()
        where organization_id = ${orgId} and id = ${receiptId} and deleted_at is null returning id`);
      if (deleted.length === 0) throw new HttpError(404, 'No such receipt');
      await withdrawReceipt(ctx.services, orgId, receiptId);
      return undefined;
    },
  }),
  defineRoute<z.infer<typeof confirmBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/receipts/:receiptId/confirm',
    summary:
      "Confirm a receipt waiting for review, with corrections (`edits`: any extracted field; amounts in minor units). Unless createSale is false, its sale is recorded (source 'receipt') " +
      "or, when the opportunity already has one sale, linked and its amount corrected to the receipt's total; the commission follows.",
    tags: ['receipts'],
    access: orgAccess('receipts', 'update'),
    body: confirmBody,
    response: receiptSchema,
    errors: { 409: 'The receipt is not waiting for review' },
    async handler(ctx) {
      const receiptId = ctx.params.receiptId!;
      const receipt = await current(ctx as Ctx, receiptId);
      if (receipt.status !== 'needs_review') throw new HttpError(409, `The receipt is ${receipt.status.replace('_', ' ')}, not waiting for review`);
      const merged = extractedReceiptSchema.safeParse({ ...emptyReceipt(), ...(receipt.extracted ?? {}), ...(ctx.body.edits ?? {}) });
      if (!merged.success) {
        throw new HttpError(422, 'The receipt is not valid with these edits', merged.error.issues.map((i) => ({ path: ['edits', ...i.path].join('.'), message: i.message })));
      }
      const createSale = ctx.body.createSale ?? true;
      if (createSale && (merged.data.totalMinor === null || merged.data.currency === null)) {
        throw new HttpError(422, 'A sale needs the total and its currency: fill them in, or confirm without a sale', [
          ...(merged.data.totalMinor === null ? [{ path: 'edits.totalMinor', message: 'Required to record the sale' }] : []),
          ...(merged.data.currency === null ? [{ path: 'edits.currency', message: 'Required to record the sale' }] : []),
        ]);
      }
      await decideReceipt(ctx.services, ctx.params.orgId!, receiptId, { kind: 'confirm', userId: ctx.user!.id, edits: ctx.body.edits ?? null, createSale });
      return current(ctx as Ctx, receiptId);
    },
  }),
  defineRoute<z.infer<typeof rejectBody>>({
    method: 'post',
    path: '/api/v1/orgs/:orgId/receipts/:receiptId/reject',
    summary: 'Reject a receipt waiting for review, saying why (no sale is recorded)',
    tags: ['receipts'],
    access: orgAccess('receipts', 'update'),
    body: rejectBody,
    response: receiptSchema,
    errors: { 409: 'The receipt is not waiting for review' },
    async handler(ctx) {
      const receiptId = ctx.params.receiptId!;
      const receipt = await current(ctx as Ctx, receiptId);
      if (receipt.status !== 'needs_review') throw new HttpError(409, `The receipt is ${receipt.status.replace('_', ' ')}, not waiting for review`);
      await decideReceipt(ctx.services, ctx.params.orgId!, receiptId, { kind: 'reject', userId: ctx.user!.id, reason: ctx.body.reason });
      return current(ctx as Ctx, receiptId);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/orgs/:orgId/receipts/:receiptId/retry',
    summary: 'Read a failed receipt again (or start one whose workflow never started)',
    tags: ['receipts'],
    access: orgAccess('receipts', 'update'),
    response: receiptSchema,
    errors: { 409: 'The receipt has not failed' },
    async handler(ctx) {
      const orgId = ctx.params.orgId!;
      const receiptId = ctx.params.receiptId!;
      const receipt = await current(ctx as Ctx, receiptId);
      if (receipt.status === 'uploaded') await startReceipt(ctx.services, orgId, receiptId);
      else if (receipt.status === 'failed') await decideReceipt(ctx.services, orgId, receiptId, { kind: 'retry', userId: ctx.user!.id });
      else throw new HttpError(409, `The receipt is ${receipt.status.replace('_', ' ')}: only a failed one is read again`);
      return current(ctx as Ctx, receiptId);
    },
  }),
];
