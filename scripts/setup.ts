// One-shot setup for a deployment you run yourself (docker-compose, a cluster): apply the
// database migrations and register Temporal's custom search attributes, then exit.
// `npm start` does the same itself; this is for environments where it does not run.
import { ConfigError, loadRuntimeEnv } from '../config/env';
import { createSql } from '../db/client';
import { migrate } from '../db/migrate';
import { enableAppLogin } from './lib/app-login';
import { StartupError } from './lib/errors';
import { assertReachable } from './lib/postgres';
import { say } from './lib/progress';
import { waitForTemporal } from './lib/temporal-server';
import { ensureSearchAttributes } from './lib/temporal-setup';

async function main(): Promise<void> {
  const env = loadRuntimeEnv();
  // Migrations run as the owner (MIGRATION_DATABASE_URL); the api and worker then log in with
  // DATABASE_URL as the unprivileged app role, whose password is set here from that URL.
  const ownerUrl = process.env.MIGRATION_DATABASE_URL || env.DATABASE_URL;
  await assertReachable(ownerUrl, 'MIGRATION_DATABASE_URL');
  const sql = createSql(ownerUrl, { max: 1 });
  try {
    const result = await migrate(sql);
    say(`migrations: ${result.applied.length} applied, ${result.skipped.length} already up to date`);
    const app = new URL(env.DATABASE_URL);
    if (ownerUrl !== env.DATABASE_URL && app.password) {
      await enableAppLogin(sql, ownerUrl, decodeURIComponent(app.password), decodeURIComponent(app.username));
      say(`postgres: login role ${decodeURIComponent(app.username)} ready`);
    }
  } finally {
    await sql.end();
  }
  // A fresh cluster (auto-setup) takes a while to answer.
  await waitForTemporal(env.TEMPORAL_ADDRESS, 120_000);
  const added = await ensureSearchAttributes(env.TEMPORAL_ADDRESS, env.TEMPORAL_NAMESPACE);
  say(`temporal: search attributes ${added.length ? `registered (${added.join(', ')})` : 'already registered'}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError || err instanceof StartupError ? err.message : err);
  process.exit(1);
});
