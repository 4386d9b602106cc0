/*
 * A bot's knowledge base: ingesting a document (cut into chunks by the pure chunker) and
 * retrieving the chunks that best answer a message, with Postgres full-text search, fused with
 * embeddings' cosine similarity when an embeddings model is configured. Both run as the worker
 * role for one organization, so RLS bounds every statement.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { chunkDocument, type ChunkSourceKind } from '../../bots/knowledge/chunk';
import type { Sql } from '../../db/client';
import type { Tx } from '../../db/tenant';
import { asWorker, notFound } from '../db/support';
import type { Embedder } from './embeddings';

export type KnowledgeSourceKind = 'text' | 'markdown' | 'faq' | 'pdf';

export interface IngestKnowledgeInput {
  orgId: string;
  botId: string;
  title: string;
  sourceKind: KnowledgeSourceKind;
  /** The document's text (for a PDF: the text extracted from it). */
  text: string;
  fileName?: string;
}

export interface IngestKnowledgeResult {
  documentId: string;
  chunkCount: number;
  /** False when this bot already had a document with exactly this content: that one is returned. */
  created: boolean;
}

export interface RetrieveKnowledgeInput {
  orgId: string;
  botId: string;
  query: string;
  limit?: number;
}

export interface RetrievedChunk {
  chunkId: string;
  documentId: string;
  title: string;
  heading: string | null;
  content: string;
  score: number;
}

/** Biggest document accepted (characters of text): about a 300-page book. */
export const MAX_DOCUMENT_CHARS = 2_000_000;
export const MAX_QUERY_CHARS = 2_000;
export const MAX_RETRIEVE_LIMIT = 20;
/** Lexemes of a message that count (a long message is mostly context). */
const MAX_QUERY_TERMS = 32;
const INSERT_BATCH = 500;
/** How many of each ranking (full-text, embeddings) the hybrid fuses. */
const HYBRID_CANDIDATES = 50;
/** Reciprocal rank fusion's constant (Cormack et al.): a chunk's score is the sum of 1 / (k + rank). */
const RRF_K = 60;

function invalid(message: string): ApplicationFailure {
  return ApplicationFailure.create({ message, type: 'InvalidInput', nonRetryable: true });
}

/** How the chunker reads each source: a PDF's extracted text has no markdown structure, only page markers. */
const CHUNKING: Record<KnowledgeSourceKind, ChunkSourceKind> = { text: 'text', markdown: 'markdown', faq: 'faq', pdf: 'pdf' };

export function contentSha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function createKnowledgeActivities(deps: { sql: Sql; embedder?: Embedder }) {
  const { sql, embedder } = deps;

  /**
   * Stores a document and its chunks in one transaction. The same content given twice to one
   * bot is one document: the second call (even concurrent with the first) returns the first.
   */
  async function ingestKnowledgeDocument(input: IngestKnowledgeInput): Promise<IngestKnowledgeResult> {
    const prepared = prepareDocument(input);
    return asWorker(sql, input.orgId, (tx) => storeDocument(tx, input, prepared, embedder));
  }

  /**
   * The bot's chunks that best match a message, best first (see rankedChunks for the scoring).
   * An empty message, or one made only of stop words, retrieves nothing.
   */
  async function retrieveKnowledge(input: RetrieveKnowledgeInput): Promise<RetrievedChunk[]> {
    const query = input.query.slice(0, MAX_QUERY_CHARS);
    const limit = Math.max(1, Math.min(MAX_RETRIEVE_LIMIT, Math.floor(input.limit ?? 5)));
    if (query.trim() === '') return [];
    return asWorker(sql, input.orgId, (tx) => rankedChunks(tx, input.orgId, input.botId, query, limit, embedder));
  }

  return { ingestKnowledgeDocument, retrieveKnowledge };
}

export interface PreparedDocument {
  title: string;
  chunks: ReturnType<typeof chunkDocument>;
  sha: string;
  size: number;
}

/** Checks a document and chunks it (no I/O): refusals are non-retryable InvalidInput failures. */
export function prepareDocument(input: Pick<IngestKnowledgeInput, 'title' | 'sourceKind' | 'text'>): PreparedDocument {
  const title = input.title.trim();
  if (title.length === 0 || title.length > 300) throw invalid('a knowledge document needs a title of 1 to 300 characters');
  if (!(input.sourceKind in CHUNKING)) throw invalid(`unknown knowledge source kind: ${String(input.sourceKind)}`);
  if (input.text.includes('\u0000')) throw invalid('the document looks binary (it contains NUL characters): extract its text first');
  if (input.text.length > MAX_DOCUMENT_CHARS) throw invalid(`the document is too large (over ${MAX_DOCUMENT_CHARS} characters)`);
  const chunks = chunkDocument(input.text, CHUNKING[input.sourceKind]);
  if (chunks.length === 0) throw invalid('the document has no text');
  const sha = contentSha256(input.text);
  const size = Buffer.byteLength(input.text, 'utf8');
  return { title, chunks, sha, size };
}

/**
 * Stores a prepared document and its chunks in the caller's transaction (the worker's, or a
 * person's: RLS then asks for bots:create). Same content for the same bot: the existing one.
 * With an embedder, each chunk is stored with its embedding (see chunkEmbeddings).
 */
export async function storeDocument(
  tx: Tx,
  input: Pick<IngestKnowledgeInput, 'orgId' | 'botId' | 'sourceKind' | 'fileName'>,
  doc: PreparedDocument,
  embedder?: Embedder,
): Promise<IngestKnowledgeResult> {
  const { title, chunks, sha, size } = doc;
  await liveBot(tx, input.orgId, input.botId);
  const [inserted] = await tx<{ id: string }[]>`
    insert into public.knowledge_documents (organization_id, bot_id, title, source_kind, file_name, content_sha256, size_bytes)
    values (${input.orgId}, ${input.botId}, ${title}, ${input.sourceKind}, ${input.fileName ?? null}, ${sha}, ${size})
    on conflict (organization_id, bot_id, content_sha256) do nothing
    returning id`;
  if (!inserted) {
    const [existing] = await tx<{ id: string; chunk_count: number }[]>`
      select id, chunk_count from public.knowledge_documents
      where organization_id = ${input.orgId} and bot_id = ${input.botId} and content_sha256 = ${sha}`;
    if (!existing) throw notFound('knowledge document');
    return { documentId: existing.id, chunkCount: existing.chunk_count, created: false };
  }
  const embeddings = embedder ? await chunkEmbeddings(embedder, chunks) : null;
  for (let i = 0; i < chunks.length; i += INSERT_BATCH) {
    const rows = chunks.slice(i, i + INSERT_BATCH).map((c, j) => ({
      organization_id: input.orgId,
      bot_id: input.botId,
      document_id: inserted.id,
      position: c.position,
      heading: c.heading,
      content: c.content,
      embedding: embeddings ? realArray(embeddings[i + j]!) : null,
      embedding_model: embeddings ? embedder!.model : null,
    }));
    await tx`insert into public.knowledge_chunks ${tx(rows, 'organization_id', 'bot_id', 'document_id', 'position', 'heading', 'content', 'embedding', 'embedding_model')}`;
  }
  await tx`update public.knowledge_documents set status = 'ready', chunk_count = ${chunks.length} where id = ${inserted.id}`;
  return { documentId: inserted.id, chunkCount: chunks.length, created: true };
}

/**
 * The chunks' embeddings (the heading path is embedded with the content: it often names the
 * question a chunk answers), or null when the embeddings call fails. A failure does not stop the
 * document from being stored: its chunks are then found by full-text search only, and the failure
 * is logged. Called only for a new document (inside its transaction: the document and its
 * vectors are stored together or not at all), so the same content again costs no second call.
 */
async function chunkEmbeddings(embedder: Embedder, chunks: PreparedDocument['chunks']): Promise<number[][] | null> {
  try {
    const vectors = await embedder.embed(chunks.map((c) => (c.heading ? `${c.heading}\n${c.content}` : c.content)));
    if (vectors.length !== chunks.length) throw new Error(`expected ${chunks.length} embeddings, got ${vectors.length}`);
    return vectors;
  } catch (err) {
    embedder.warn(err, 'knowledge chunks stored without embeddings: the embeddings call failed (full-text retrieval only)');
    return null;
  }
}

/** A vector as a Postgres real[] literal (postgres.js sends it as text; the column casts it). */
function realArray(vector: number[]): string {
  if (!vector.every(Number.isFinite)) throw new Error('an embedding holds a non-finite number');
  return `{${vector.join(',')}}`;
}

/** The bot must exist in this organization and not be deleted. */
export async function liveBot(tx: Tx, orgId: string, botId: string): Promise<void> {
  const [bot] = await tx`select 1 from public.bots where organization_id = ${orgId} and id = ${botId} and deleted_at is null`;
  if (!bot) throw notFound('bot');
}

/**
 * Ranks the bot's chunks for a message. The message becomes its stemmed lexemes (stop words
 * dropped, at most MAX_QUERY_TERMS); a chunk matching any of them is a candidate. Its score
 * sums, over the lexemes it contains, the lexeme's rarity among the bot's chunks (BM25's idf:
 * "wedding" in every chunk of a wedding FAQ says little, "rain" says a lot) times ts_rank of
 * that lexeme in the chunk (a heading match, weight A, counts twice a body match, weight B),
 * then is scaled by the share of the message's lexemes the chunk contains, so a chunk with
 * every word still comes first. Requiring every word (a plain AND query) was measured on the
 * shipped FAQ set and lost answers: a short question nearly always has one word that its
 * answer does not use.
 */
export async function rankedChunks(tx: Tx, orgId: string, botId: string, query: string, limit: number, embedder?: Embedder): Promise<RetrievedChunk[]> {
  if (embedder) {
    const hybrid = await hybridRankedChunks(tx, orgId, botId, query, limit, embedder);
    if (hybrid) return hybrid;
  }
  return fullTextRankedChunks(tx, orgId, botId, query, limit);
}

async function fullTextRankedChunks(tx: Tx, orgId: string, botId: string, query: string, limit: number): Promise<RetrievedChunk[]> {
  const rows = await tx<{ id: string; document_id: string; title: string; heading: string | null; content: string; score: number }[]>`
    with terms as (
      select l as lexeme, ('''' || replace(replace(l, '\\', '\\\\'), '''', '''''') || '''')::tsquery as q
      from unnest(tsvector_to_array(to_tsvector('english', ${query}))) as l
      limit ${MAX_QUERY_TERMS}
    ),
    pool as (
      select c.id, c.document_id, d.title, d.created_at as document_created_at, c.heading, c.content, c.position, c.tsv
      from public.knowledge_chunks c
      join public.knowledge_documents d on d.organization_id = c.organization_id and d.id = c.document_id
      where c.organization_id = ${orgId} and c.bot_id = ${botId} and d.status = 'ready'
    ),
    weighted as (
      select t.q, ln(1 + ((select count(*) from pool) - count(p.id) + 0.5) / (count(p.id) + 0.5)) as idf
      from terms t left join pool p on p.tsv @@ t.q
      group by t.lexeme, t.q
    )
    select p.id, p.document_id, p.title, p.heading, p.content,
      (sum(w.idf * ts_rank('{0.1, 0.2, 0.5, 1.0}', p.tsv, w.q)) * count(*) / (select count(*) from terms))::float8 as score
    from pool p join weighted w on p.tsv @@ w.q
    group by p.id, p.document_id, p.title, p.document_created_at, p.heading, p.content, p.position
    order by score desc, p.document_created_at, p.document_id, p.position
    limit ${limit}`;
  return rows.map((r) => ({ chunkId: r.id, documentId: r.document_id, title: r.title, heading: r.heading, content: r.content, score: r.score }));
}

/**
 * Full-text and embeddings rankings fused by reciprocal rank fusion: each ranking contributes
 * 1 / (RRF_K + rank) for its top HYBRID_CANDIDATES, so a chunk both rank well comes first, and
 * one only the embeddings find (a paraphrase sharing no word with the message) can still make it.
 * RRF fuses ranks, not scores, because a ts_rank and a cosine are on unrelated scales.
 * Null (the caller then ranks by full text alone) when none of the bot's chunks has an embedding
 * of this model, or when embedding the message fails (logged). A message without a single
 * lexeme retrieves nothing, as full-text search alone does.
 *
 * The cosine is computed in SQL (a dot product of the two real[] unnested side by side; both are
 * unit vectors): only the top candidates leave the database, not every chunk's vector.
 */
async function hybridRankedChunks(tx: Tx, orgId: string, botId: string, query: string, limit: number, embedder: Embedder): Promise<RetrievedChunk[] | null> {
  const [state] = await tx<{ has_terms: boolean; embedded: boolean }[]>`
    select
      cardinality(tsvector_to_array(to_tsvector('english', ${query}))) > 0 as has_terms,
      exists (select 1 from public.knowledge_chunks
              where organization_id = ${orgId} and bot_id = ${botId} and embedding_model = ${embedder.model}) as embedded`;
  if (!state?.has_terms) return [];
  if (!state.embedded) return null;
  let vector: number[];
  try {
    const [embedded] = await embedder.embed([query]);
    if (!embedded) throw new Error('the embeddings endpoint answered no vector');
    vector = embedded;
  } catch (err) {
    embedder.warn(err, 'knowledge ranked by full text only: embedding the message failed');
    return null;
  }
  const candidates = Math.max(limit, HYBRID_CANDIDATES);
  const fullText = await fullTextRankedChunks(tx, orgId, botId, query, candidates);
  // A chunk pointing away from the message (cosine <= 0) is no candidate at all.
  const similar = await tx<{ id: string; document_id: string; title: string; heading: string | null; content: string; score: number }[]>`
    with scored as (
      select c.id, c.document_id, d.title, d.created_at as document_created_at, c.heading, c.content, c.position,
        (select sum(a * b) from unnest(c.embedding, ${realArray(vector)}::real[]) as pair(a, b))::float8 as score
      from public.knowledge_chunks c
      join public.knowledge_documents d on d.organization_id = c.organization_id and d.id = c.document_id
      where c.organization_id = ${orgId} and c.bot_id = ${botId} and d.status = 'ready'
        and c.embedding_model = ${embedder.model} and cardinality(c.embedding) = ${vector.length}
    )
    select id, document_id, title, heading, content, score from scored
    where score > 0
    order by score desc, document_created_at, document_id, position
    limit ${candidates}`;
  const fused = new Map<string, { chunk: RetrievedChunk; score: number; order: number }>();
  const add = (chunk: RetrievedChunk, rank: number, order: number) => {
    const entry = fused.get(chunk.chunkId) ?? { chunk, score: 0, order };
    entry.score += 1 / (RRF_K + rank);
    fused.set(chunk.chunkId, entry);
  };
  fullText.forEach((chunk, i) => add(chunk, i + 1, i));
  similar.forEach((r, i) =>
    add({ chunkId: r.id, documentId: r.document_id, title: r.title, heading: r.heading, content: r.content, score: r.score }, i + 1, candidates + i),
  );
  // Ties (a chunk first in one ranking, another first in the other) go to the full-text one.
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, limit)
    .map(({ chunk, score }) => ({ ...chunk, score }));
}

export type KnowledgeActivities = ReturnType<typeof createKnowledgeActivities>;
