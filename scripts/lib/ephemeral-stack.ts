import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createSql, type Sql } from '../../db/client';
import { migrate } from '../../db/migrate';
import { ROOT } from './launcher-env';
import { freePort } from './ports';
import { startEmbeddedPostgres } from './postgres';
import { ensureTemporalCli } from './temporal-cli';
import { startTemporalDevServer } from './temporal-server';

export interface EphemeralStack {
  sql: Sql;
  databaseUrl: string;
  temporalAddress: string;
  stop(): Promise<void>;
}

/**
 * A throwaway, migrated PostgreSQL plus an in-memory headless Temporal dev server on free ports,
 * for scripts that need the real parts (history recording, benchmarks). Lives under .data/,
 * not os.tmpdir(): a private temp dir is not enterable by the postgres user when run as root.
 */
export async function startEphemeralStack(name: string): Promise<EphemeralStack> {
  const dir = path.join(ROOT, '.data', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), password: 'x', database: 'flowline', ephemeral: true });
  const temporal = await startTemporalDevServer({ cli: await ensureTemporalCli(ROOT), port: await freePort(), logFile: path.join(dir, 'temporal.log') });
  const sql = createSql(pg.url);
  await migrate(sql);
  return {
    sql,
    databaseUrl: pg.url,
    temporalAddress: temporal.address,
    async stop() {
      await sql.end();
      await temporal.stop();
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
