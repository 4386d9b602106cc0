import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createKnowledgeActivities, type KnowledgeActivities } from '../../activities/bots/knowledge';
import type { Sql } from '../../db/client';
import { appSql, testSql } from '../helpers/db';
import { createOrg } from '../helpers/tenants';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'bots');

interface Case {
  question: string;
  /** The FAQ question whose chunk must come first. */
  expected: string;
}

/*
 * Retrieval quality on a shipped FAQ: each paraphrased question names the chunk that answers it.
 * The hit rates are printed; the assertion is a quality floor, not a timing.
 */
describe('knowledge retrieval quality', () => {
  let owner: Sql;
  let app: Sql;
  let knowledge: KnowledgeActivities;
  let orgId: string;
  let botId: string;
  beforeAll(async () => {
    owner = testSql();
    app = appSql();
    knowledge = createKnowledgeActivities({ sql: app });
    orgId = await createOrg(owner, 'retrieval');
    const [bot] = await owner<{ id: string }[]>`insert into public.bots (organization_id, name) values (${orgId}, 'Golden Hour') returning id`;
    botId = bot!.id;
    await knowledge.ingestKnowledgeDocument({
      orgId, botId, title: 'Studio FAQ', sourceKind: 'faq', fileName: 'faq.md', text: readFileSync(path.join(FIXTURES, 'faq.md'), 'utf8'),
    });
  });
  afterAll(async () => {
    await app.end();
    await owner.end();
  });

  it('puts the answering chunk in the top 3 for at least 80% of the questions', async () => {
    const cases = JSON.parse(readFileSync(path.join(FIXTURES, 'faq-questions.json'), 'utf8')) as Case[];
    let top1 = 0;
    let top3 = 0;
    const misses: string[] = [];
    for (const c of cases) {
      const ranked = await knowledge.retrieveKnowledge({ orgId, botId, query: c.question, limit: 3 });
      const rank = ranked.findIndex((r) => r.heading?.endsWith(`> ${c.expected}`));
      if (rank === 0) top1++;
      if (rank >= 0) top3++;
      else misses.push(`${c.question} -> ${ranked.map((r) => r.heading?.split(' > ').pop()).join(' | ') || '(nothing)'}`);
    }
    console.log(`retrieval: top-1 ${top1}/${cases.length}, top-3 ${top3}/${cases.length}`);
    if (misses.length > 0) console.log(`retrieval misses:\n  ${misses.join('\n  ')}`);
    expect(cases.length).toBeGreaterThanOrEqual(20);
    expect(top3 / cases.length).toBeGreaterThanOrEqual(0.8);
  });
});
