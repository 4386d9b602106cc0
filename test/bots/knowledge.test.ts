import { randomUUID } from 'node:crypto';
import { contentSha256, createKnowledgeActivities, type KnowledgeActivities } from '../../activities/bots/knowledge';
import type { Sql } from '../../db/client';
import { appSql, testSql } from '../helpers/db';
import { createOrg } from '../helpers/tenants';

/* Ingesting and retrieving knowledge as the worker of one organization. */
describe('knowledge activities', () => {
  let owner: Sql;
  let app: Sql;
  let knowledge: KnowledgeActivities;
  let orgA: string;
  let orgB: string;
  const bot = async (orgId: string, deleted = false) =>
    (await owner<{ id: string }[]>`
      insert into public.bots (organization_id, name, deleted_at) values (${orgId}, ${`bot ${randomUUID()}`}, ${deleted ? new Date() : null}) returning id`)[0]!.id;
  const failure = (type: string) => expect.objectContaining({ type, nonRetryable: true });

  beforeAll(async () => {
    owner = testSql();
    app = appSql();
    knowledge = createKnowledgeActivities({ sql: app });
    orgA = await createOrg(owner, 'knowledge-a');
    orgB = await createOrg(owner, 'knowledge-b');
  });
  afterAll(async () => {
    await app.end();
    await owner.end();
  });

  it('stores a document with its chunks, ready, and returns the same document for the same content', async () => {
    const botId = await bot(orgA);
    const text = '## Deposits\nA deposit of 30% books the date.\n\n## Travel\nFree within 50 km of Lyon.';
    const first = await knowledge.ingestKnowledgeDocument({ orgId: orgA, botId, title: 'FAQ', sourceKind: 'markdown', text, fileName: 'faq.md' });
    expect(first).toEqual({ documentId: expect.any(String), chunkCount: 2, created: true });
    const [doc] = await owner`select status, chunk_count, content_sha256, size_bytes, file_name from public.knowledge_documents where id = ${first.documentId}`;
    expect(doc).toEqual({ status: 'ready', chunk_count: 2, content_sha256: contentSha256(text), size_bytes: Buffer.byteLength(text), file_name: 'faq.md' });
    const chunks = await owner`select position, heading from public.knowledge_chunks where document_id = ${first.documentId} order by position`;
    expect(chunks).toEqual([{ position: 0, heading: 'Deposits' }, { position: 1, heading: 'Travel' }]);

    const again = await knowledge.ingestKnowledgeDocument({ orgId: orgA, botId, title: 'FAQ copy', sourceKind: 'markdown', text });
    expect(again).toEqual({ ...first, created: false });
    // Another bot of the same organization keeps its own copy.
    const other = await knowledge.ingestKnowledgeDocument({ orgId: orgA, botId: await bot(orgA), title: 'FAQ', sourceKind: 'markdown', text });
    expect(other.created).toBe(true);
  });

  it('dedupes concurrent uploads of one content into one document', async () => {
    const botId = await bot(orgA);
    const text = `Opening hours: 9 to 5. ${randomUUID()}`;
    const results = await Promise.all([1, 2, 3].map(() => knowledge.ingestKnowledgeDocument({ orgId: orgA, botId, title: 'Hours', sourceKind: 'text', text })));
    expect(new Set(results.map((r) => r.documentId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it("refuses another organization's bot, a deleted bot, and binary or empty text, without retrying", async () => {
    const botOfA = await bot(orgA);
    const input = { title: 'x', sourceKind: 'text' as const, text: 'hello' };
    await expect(knowledge.ingestKnowledgeDocument({ ...input, orgId: orgB, botId: botOfA })).rejects.toEqual(failure('NotFound'));
    await expect(knowledge.ingestKnowledgeDocument({ ...input, orgId: orgA, botId: await bot(orgA, true) })).rejects.toEqual(failure('NotFound'));
    await expect(knowledge.ingestKnowledgeDocument({ ...input, orgId: orgA, botId: botOfA, text: 'a\u0000b' })).rejects.toEqual(failure('InvalidInput'));
    await expect(knowledge.ingestKnowledgeDocument({ ...input, orgId: orgA, botId: botOfA, text: ' \n ' })).rejects.toEqual(failure('InvalidInput'));
    expect(await owner`select 1 from public.knowledge_documents where bot_id = ${botOfA}`).toHaveLength(0);
  });

  it("retrieves only the bot's own chunks, best first, with scores", async () => {
    const botId = await bot(orgA);
    const otherBot = await bot(orgA);
    const text = '## Refunds\nThe deposit is not refundable.\n\n## Albums\nLinen albums from €450.';
    await knowledge.ingestKnowledgeDocument({ orgId: orgA, botId, title: 'FAQ', sourceKind: 'markdown', text });
    await knowledge.ingestKnowledgeDocument({ orgId: orgA, botId: otherBot, title: 'Other', sourceKind: 'text', text: 'Refunds are always possible.' });
    const ranked = await knowledge.retrieveKnowledge({ orgId: orgA, botId, query: 'can I get a refund of my deposit?' });
    expect(ranked.map((r) => r.heading)).toEqual(['Refunds']);
    expect(ranked[0]).toEqual(expect.objectContaining({ title: 'FAQ', content: '## Refunds\nThe deposit is not refundable.', score: expect.any(Number) }));
    expect(ranked[0]!.score).toBeGreaterThan(0);
    // Quotes, backslashes and operators in a message are words, never syntax.
    expect(await knowledge.retrieveKnowledge({ orgId: orgA, botId, query: "album's \\ price | !! & (" })).toEqual([expect.objectContaining({ heading: 'Albums' })]);
    expect(await knowledge.retrieveKnowledge({ orgId: orgA, botId, query: 'the and of' })).toEqual([]);
    expect(await knowledge.retrieveKnowledge({ orgId: orgB, botId, query: 'refund' })).toEqual([]);
  });
});
