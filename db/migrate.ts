import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Sql } from './client';

/*
 * Why a small runner of our own rather than node-pg-migrate / postgres-shift:
 * - migrations stay plain `<timestamp>_<area>.sql` files with no runner-specific markers, so the
 *   very same files can be applied by the Supabase CLI to a Supabase project;
 * - it uses the `postgres` driver the app already uses (no second driver);
 * - it adds what we rely on: a transaction per file, an advisory lock so several processes
 *   starting at once migrate exactly once, and a checksum so an edited, already-applied
 *   migration is reported instead of silently ignored.
 */

export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');
/** Reference data re-applied after the migrations on every run (see db/seed/README.md). */
export const SEEDS_DIR = path.join(__dirname, 'seed');
const FILE_PATTERN = /^(\d{14})_[a-z0-9_]+\.sql$/;
// Any constant works; it only has to be the same for every process of this product.
const LOCK_KEY = 727_001;

export interface MigrationFile {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  skipped: string[];
  seeded: string[];
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    const match = FILE_PATTERN.exec(name);
    if (!match?.[1]) throw new Error(`Migration file name "${name}" must look like 20260101000000_area.sql`);
    const sql = await readFile(path.join(dir, name), 'utf8');
    files.push({ version: match[1], name, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return files;
}

export async function migrate(sql: Sql, dir = MIGRATIONS_DIR): Promise<MigrateResult> {
  const files = await readMigrations(dir);
  const result: MigrateResult = { applied: [], skipped: [], seeded: [] };
  // Every step takes the same transaction-scoped advisory lock first, so processes starting
  // together serialise here and each file is applied exactly once.
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${LOCK_KEY})`;
    await tx`create schema if not exists flowline_meta`;
    await tx`
      create table if not exists flowline_meta.schema_migrations (
        version text primary key,
        name text not null,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`;
  });
  for (const file of files) {
    await sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${LOCK_KEY})`;
      const [previous] = await tx<{ checksum: string }[]>`
        select checksum from flowline_meta.schema_migrations where version = ${file.version}`;
      if (previous) {
        if (previous.checksum !== file.checksum) {
          throw new Error(
            `Migration ${file.name} was changed after it was applied. Add a new migration instead of editing an applied one.`,
          );
        }
        result.skipped.push(file.name);
        return;
      }
      await tx.unsafe(file.sql);
      await tx`insert into flowline_meta.schema_migrations (version, name, checksum)
               values (${file.version}, ${file.name}, ${file.checksum})`;
      result.applied.push(file.name);
    });
  }
  const seeds = (await readdir(SEEDS_DIR)).filter((n) => n.endsWith('.sql')).sort();
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${LOCK_KEY})`;
    for (const name of seeds) {
      await tx.unsafe(await readFile(path.join(SEEDS_DIR, name), 'utf8'));
      result.seeded.push(name);
    }
  });
  return result;
}
