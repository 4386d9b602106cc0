// What does Row Level Security cost on a tenant's paged list?
// 1,000 organizations and 1,000,000 team_members rows. Baseline: the migration owner (RLS
// bypassed) with an explicit organization_id filter. Subject: the same query inside the
// per-request wrapper (claims + `set local role authenticated`), so RLS policies apply.
// Both run interleaved in one process against one server; the ratio is what to read (goal <= 1.5).
//   node --import tsx bench/rls.ts [rounds]        (DATABASE_URL honoured; else embedded)
import path from 'node:path';
import { createSql, type Sql } from '../db/client';
import { migrate } from '../db/migrate';
import { withClaims } from '../db/tenant';
import { ROOT } from '../scripts/lib/launcher-env';
import { freePort } from '../scripts/lib/ports';
import { startEmbeddedPostgres } from '../scripts/lib/postgres';

const ROUNDS = Number(process.argv[2] ?? 200);
const ORGS = 1_000;
const ROWS = 1_000_000;
const PAGE = 50;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function timeEach(fn: () => Promise<unknown>, samples: number[]): Promise<void> {
  const start = performance.now();
  await fn();
  samples.push(performance.now() - start);
}

async function seed(sql: Sql): Promise<{ orgId: string; userId: string }> {
  console.log(`seeding ${ORGS} organizations and ${ROWS.toLocaleString()} team members...`);
  // Bulk load without the audit and limit triggers (this is a benchmark fixture, not a write path).
  await sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx`insert into public.organizations (name, slug, max_users)
             select 'Org ' || g, 'bench-org-' || g, 100 from generate_series(1, ${ORGS}) g`;
    await tx`insert into public.team_members (organization_id, full_name, external_id)
             select o.id, 'Rep ' || g, 'ghl-' || g
             from generate_series(1, ${ROWS}) g
             join (select id, row_number() over (order by id) as n from public.organizations) o on o.n = 1 + (g % ${ORGS})`;
  });
  await sql`analyze`;
  const [org] = await sql<{ id: string }[]>`select id from public.organizations order by slug limit 1`;
  const [user] = await sql<{ id: string }[]>`insert into auth.users (email) values ('bench@example.test') returning id`;
  await sql`insert into public.organization_members (organization_id, user_id, role) values (${org!.id}, ${user!.id}, 'viewer')`;
  return { orgId: org!.id, userId: user!.id };
}

async function main(): Promise<void> {
  const pg = process.env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({ dataDir: path.join(ROOT, '.data', 'bench-rls'), port: await freePort(), password: 'x', database: 'flowline', ephemeral: true });
  const sql = createSql(process.env.DATABASE_URL ?? pg!.url, { max: 1 });
  try {
    await migrate(sql);
    const { orgId, userId } = await seed(sql);
    const claims = { role: 'authenticated', sub: userId } as const;
    const page = (q: Sql | Parameters<Parameters<typeof withClaims>[2]>[0]) =>
      q`select id, full_name from public.team_members where organization_id = ${orgId} order by full_name, id limit ${PAGE}`;
    const baseline: number[] = [];
    const subject: number[] = [];
    const bare: number[] = [];
    const wrapped: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      await page(sql);
      await withClaims(sql, claims, (tx) => page(tx));
    }
    for (let i = 0; i < ROUNDS; i += 1) {
      // The list query alone, each inside its own transaction: RLS off vs RLS on.
      await sql.begin((tx) => timeEach(() => page(tx), baseline));
      await withClaims(sql, claims, (tx) => timeEach(() => page(tx), subject));
      // The wrapper alone: a bare statement vs the same one in the claims transaction.
      await timeEach(() => sql`select 1`, bare);
      await timeEach(() => withClaims(sql, claims, (tx) => tx`select 1`), wrapped);
    }
    const rows = await withClaims(sql, claims, (tx) => page(tx));
    if (rows.length !== PAGE) throw new Error(`expected a full page under RLS, got ${rows.length}`);
    const b = median(baseline);
    const s = median(subject);
    console.log(`rounds: ${ROUNDS} each, page of ${PAGE} from one tenant of ${ORGS}`);
    console.log(`baseline  owner, RLS bypassed, explicit filter   median ${b.toFixed(3)} ms`);
    console.log(`subject   authenticated, RLS policies applied    median ${s.toFixed(3)} ms`);
    console.log(`ratio     subject / baseline = ${(s / b).toFixed(2)} (goal <= 1.5)`);
    console.log(`wrapper overhead (select 1 wrapped vs bare): ${(median(wrapped) - median(bare)).toFixed(3)} ms per request`);
  } finally {
    await sql.end();
    await pg?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
