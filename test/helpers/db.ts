import { randomBytes } from 'node:crypto';
import { createSql, type Sql } from '../../db/client';
import { stackEnv } from './stack-env';

export function testSql(): Sql {
  return createSql(stackEnv.databaseUrl, { max: 4 });
}

/** A pool logged in as the app's role, as the API and worker are: RLS and grants apply. */
export function appSql(): Sql {
  return createSql(stackEnv.appDatabaseUrl, { max: 4 });
}

/** A URL on which nothing listens: the shape of "Postgres is down". */
export const UNREACHABLE_DATABASE_URL = 'postgres://postgres:x@127.0.0.1:9/flowline';

/** A brand-new empty database on the test server, dropped by the returned function. */
export async function createScratchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `scratch_${randomBytes(6).toString('hex')}`;
  const admin = createSql(stackEnv.adminDatabaseUrl, { max: 1 });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(stackEnv.databaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}
