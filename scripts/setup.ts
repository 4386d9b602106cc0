// One-shot setup for a deployment you run yourself (docker-compose, a cluster): apply the
// database migrations and register Temporal's custom search attributes, then exit.
// `npm start` does the same itself; this is for environments where it does not run.
import { ConfigError, loadRuntimeEnv } from '../config/env';
import { createSql } from '../db/client';
import { migrate } from '../db/migrate';
import { StartupError } from './lib/errors';
import { assertReachable } from './lib/postgres';
import { say } from './lib/progress';
import { waitForTemporal } from './lib/temporal-server';
import { ensureSearchAttributes } from './lib/temporal-setup';

async function main(): Promise<void> {
  const env = loadRuntimeEnv();
  await assertReachable(env.DATABASE_URL, 'DATABASE_URL');
  const sql = createSql(env.DATABASE_URL, { max: 1 });
  const result = await migrate(sql).finally(() => sql.end());
  say(`migrations: ${result.applied.length} applied, ${result.skipped.length} already up to date`);
  // A fresh cluster (auto-setup) takes a while to answer.
  await waitForTemporal(env.TEMPORAL_ADDRESS, 120_000);
  const added = await ensureSearchAttributes(env.TEMPORAL_ADDRESS, env.TEMPORAL_NAMESPACE);
  say(`temporal: search attributes ${added.length ? `registered (${added.join(', ')})` : 'already registered'}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError || err instanceof StartupError ? err.message : err);
  process.exit(1);
});
