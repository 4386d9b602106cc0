import type { Sql } from '../../db/client';

export interface PostgresProbe {
  serverVersion: string;
  latencyMs: number;
}

export function createReadinessActivities(deps: { sql: Sql }) {
  return {
    /** Proves the worker reaches Postgres and that the schema is migrated. */
    async probePostgres(): Promise<PostgresProbe> {
      const started = performance.now();
      const [row] = await deps.sql<{ server_version: string }[]>`select server_version from app.platform_info()`;
      if (!row) throw new Error('app.platform_info() returned no row');
      return { serverVersion: row.server_version, latencyMs: Math.round(performance.now() - started) };
    },
  };
}
