import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EMBED_BATCH, type Embedder, openAiEmbedder } from '../../activities/bots/embeddings';
import { createKnowledgeActivities, rankedChunks, type RetrievedChunk } from '../../activities/bots/knowledge';
import { createConversationActivities } from '../../activities/bots/conversation';
import { asWorker } from '../../activities/db/support';
import type { Sql } from '../../db/client';
import { startFakeLlm, type FakeLlm } from '../../fakes/llm';
import { appSql, testSql } from '../helpers/db';
import { createContact } from '../helpers/integrations';
import { createOrg } from '../helpers/tenants';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'bots');
const MODEL = 'text-embedding-3-small';

interface Case {
  question: string;
  expected: string;
}

/*
 * Hybrid retrieval (full text fused with embeddings) against the fake embeddings model, on the
 * shipped FAQ set: both rankings are measured on the same bot and printed side by side.
 */
describe('hybrid knowledge retrieval', () => {
  let owner: Sql;
  let app: Sql;
  let llm: FakeLlm;
  let embedder: Embedder;
  let failing: Embedder;
  const warnings: string[] = [];
  let orgId: string;
  let otherOrgId: string;
  let botId: string;
  const log = { warn: (_obj: object, msg: string) => void warnings.push(msg) };
  const newBot = async (org: string) => (await owner<{ id: string }[]>`insert into public.bots (organization_id, name) values (${org}, ${`bot ${randomUUID()}`}) returning id`)[0]!.id;
  const rank = (bot: string, query: string, limit: number, with_?: Embedder, org = orgId) =>
    asWorker(app, org, (tx) => rankedChunks(tx, orgId, bot, query, limit, with_));

  beforeAll(async () => {
    owner = testSql();
    app = appSql();
    llm = await startFakeLlm();
    embedder = openAiEmbedder({ baseURL: llm.url, apiKey: llm.apiKey, timeoutMs: 10_000, model: MODEL, log });
    // A wrong key: the endpoint answers 401 to every embeddings call.
    failing = openAiEmbedder({ baseURL: llm.url, apiKey: 'sk-wrong-key', timeoutMs: 10_000, model: MODEL, log });
    orgId = await createOrg(owner, 'hybrid');
    otherOrgId = await createOrg(owner, 'hybrid-other');
    botId = await newBot(orgId);
    await createKnowledgeActivities({ sql: app, embedder }).ingestKnowledgeDocument({
      orgId, botId, title: 'Studio FAQ', sourceKind: 'faq', fileName: 'faq.md', text: readFileSync(path.join(FIXTURES, 'faq.md'), 'utf8'),
    });
  });
  afterAll(async () => {
    await llm.close();
    await app.end();
    await owner.end();
  });

  it('stores every chunk with a unit vector of the configured model', async () => {
    const rows = await owner<{ model: string | null; dims: number; norm: number }[]>`
      select embedding_model as model, cardinality(embedding) as dims,
        (select sqrt(sum(v * v)) from unnest(embedding) as v)::float8 as norm
      from public.knowledge_chunks where bot_id = ${botId}`;
    expect(rows.length).toBeGreaterThan(20);
    for (const r of rows) {
      expect(r.model).toBe(MODEL);
      expect(r.dims).toBe(256);
      expect(r.norm).toBeCloseTo(1, 4);
    }
  });

  it('embeds many texts over several requests, each vector in its text\'s place', async () => {
    const texts = Array.from({ length: EMBED_BATCH * 2 + 5 }, (_, i) => `question ${i} about the deposit`);
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(texts.length);
    for (const i of [0, EMBED_BATCH, texts.length - 1]) expect(vectors[i]).toEqual((await embedder.embed([texts[i]!]))[0]);
  });

  it('is at least as good as full text alone on the FAQ set (top 3)', async () => {
    const cases = JSON.parse(readFileSync(path.join(FIXTURES, 'faq-questions.json'), 'utf8')) as Case[];
    const score = async (with_?: Embedder) => {
      let top1 = 0;
      let top3 = 0;
      for (const c of cases) {
        const ranked = await rank(botId, c.question, 3, with_);
        const at = ranked.findIndex((r) => r.heading?.endsWith(`> ${c.expected}`));
        if (at === 0) top1++;
        if (at >= 0) top3++;
      }
      return { top1, top3 };
    };
    const fullText = await score();
    const hybrid = await score(embedder);
    console.log(
      `retrieval on ${cases.length} questions: full text top-1 ${fullText.top1}, top-3 ${fullText.top3}; hybrid top-1 ${hybrid.top1}, top-3 ${hybrid.top3}`,
    );
    expect(cases.length).toBeGreaterThanOrEqual(20);
    expect(hybrid.top3).toBeGreaterThanOrEqual(fullText.top3);
  });

  it('finds a paraphrase that shares no word with its answer only through embeddings', async () => {
    const bot = await newBot(orgId);
    await createKnowledgeActivities({ sql: app, embedder }).ingestKnowledgeDocument({
      orgId, botId: bot, title: 'FAQ', sourceKind: 'markdown', text: '## Deposit\nA deposit of 30% books the date.\n\n## Travel\nFree within 50 km.',
    });
    // "retainer" is nowhere in the document: the fake model maps it to "deposit".
    expect(await rank(bot, 'how big is the retainer?', 3)).toEqual([]);
    const hybrid = await rank(bot, 'how big is the retainer?', 3, embedder);
    expect(hybrid[0]?.heading).toBe('Deposit');
  });

  it("puts what the hybrid ranking finds into a conversation turn's prompt", async () => {
    const conversation = createConversationActivities({ sql: app, llm: { baseURL: llm.url, apiKey: llm.apiKey, timeoutMs: 10_000 }, embedder });
    const contactId = await createContact(owner, orgId);
    const { sessionId } = await conversation.openSession({ orgId, botId, contactId, channel: 'web', workflowId: `hybrid-${randomUUID()}` });
    await conversation.recordUserMessage({ orgId, sessionId, idempotencyKey: randomUUID(), text: 'how big is the retainer?', channel: 'web' });
    const turn = await conversation.prepareTurn({ orgId, botId, sessionId });
    const expected = await rank(botId, 'how big is the retainer?', 3, embedder);
    expect(turn.retrieved).toEqual(expected.map((c) => ({ chunkId: c.chunkId, score: c.score })));
    expect(turn.messages[0]!.content).toContain(expected[0]!.content);
  });

  it('retrieves nothing for a message of stop words only, as full text does', async () => {
    expect(await rank(botId, 'is it the', 3, embedder)).toEqual([]);
  });

  it('ranks by full text alone, as before, when the bot has no embeddings of the model', async () => {
    const plainBot = await newBot(orgId);
    await createKnowledgeActivities({ sql: app }).ingestKnowledgeDocument({
      orgId, botId: plainBot, title: 'FAQ', sourceKind: 'markdown', text: '## Deposit\nA deposit of 30% books the date.\n\n## Travel\nFree within 50 km.',
    });
    let calls = 0;
    const counting: Embedder = { ...embedder, embed: (texts) => (calls++, embedder.embed(texts)) };
    const withModel = await rank(plainBot, 'deposit to book', 3, counting);
    expect(withModel).toEqual(await rank(plainBot, 'deposit to book', 3));
    expect(withModel.map((c) => c.heading)).toEqual(['Deposit']);
    // Nothing to compare the message with: it is not embedded either.
    expect(calls).toBe(0);
  });

  it('stores the document without embeddings when the embeddings call fails, and logs it', async () => {
    const bot = await newBot(orgId);
    warnings.length = 0;
    const result = await createKnowledgeActivities({ sql: app, embedder: failing }).ingestKnowledgeDocument({
      orgId, botId: bot, title: 'FAQ', sourceKind: 'markdown', text: '## Deposit\nA deposit of 30% books the date.\n\n## Travel\nFree within 50 km.',
    });
    expect(result).toEqual({ documentId: expect.any(String), chunkCount: 2, created: true });
    const [doc] = await owner`select status from public.knowledge_documents where id = ${result.documentId}`;
    expect(doc).toEqual({ status: 'ready' });
    const chunks = await owner`select embedding, embedding_model from public.knowledge_chunks where document_id = ${result.documentId}`;
    expect(chunks).toEqual([{ embedding: null, embedding_model: null }, { embedding: null, embedding_model: null }]);
    expect(warnings).toEqual([expect.stringMatching(/without embeddings/)]);
    expect((await rank(bot, 'deposit', 3, embedder)).map((c) => c.heading)).toEqual(['Deposit']);
  });

  it('falls back to full text when embedding the message fails', async () => {
    warnings.length = 0;
    const query = 'when do we have to pay the rest?';
    expect(await rank(botId, query, 3, failing)).toEqual(await rank(botId, query, 3));
    expect(warnings).toEqual([expect.stringMatching(/full text only/)]);
  });

  it("keeps a bot's embedded chunks inside its organization", async () => {
    // The other organization's worker sees none of them, through hybrid ranking or directly.
    const ranked: RetrievedChunk[] = await rank(botId, 'what are your prices for a wedding?', 5, embedder, otherOrgId);
    expect(ranked).toEqual([]);
    const visible = await asWorker(app, otherOrgId, (tx) => tx`select 1 from public.knowledge_chunks where bot_id = ${botId}`);
    expect(visible).toHaveLength(0);
  });

  it('refuses an embedding without its model, and a model without an embedding', async () => {
    const [chunk] = await owner<{ id: string }[]>`select id from public.knowledge_chunks where bot_id = ${botId} limit 1`;
    await expect(owner`update public.knowledge_chunks set embedding_model = null where id = ${chunk!.id}`).rejects.toThrow(/knowledge_chunks_embedding_pair/);
    await expect(owner`update public.knowledge_chunks set embedding = null where id = ${chunk!.id}`).rejects.toThrow(/knowledge_chunks_embedding_pair/);
  });
});
