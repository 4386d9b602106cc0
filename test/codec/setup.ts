import { createHash } from 'node:crypto';
import { createSql, type Sql } from '../../db/client';
import { migrate } from '../../db/migrate';
import { createScratchDatabase } from '../helpers/db';
import { TEST_KEY_RING } from '../helpers/integrations';
import { stackEnv } from '../helpers/stack-env';

/** 32 bytes of base64 made from a label: the same in every test process. */
export const fixedKey = (label: string) => createHash('sha256').update(label).digest('base64');

/**
 * The run's master key ring, as every test app and worker: the platform data key is shared by
 * the whole test database, so every process must be able to unwrap it.
 */
export const TEST_MASTER_RING = TEST_KEY_RING;

/** A migrated database of its own, with an owner pool and an app-role pool, for tests that touch every key. */
export async function scratchKeysDatabase(): Promise<{ owner: Sql; app: Sql; ownerUrl: string; appUrl: string; drop: () => Promise<void> }> {
  const scratch = await createScratchDatabase();
  const owner = createSql(scratch.url, { max: 4 });
  await migrate(owner);
  const appUrl = new URL(stackEnv.appDatabaseUrl);
  appUrl.pathname = new URL(scratch.url).pathname;
  const app = createSql(appUrl.toString(), { max: 4 });
  return {
    owner,
    app,
    ownerUrl: scratch.url,
    appUrl: appUrl.toString(),
    drop: async () => {
      await app.end();
      await owner.end();
      await scratch.drop();
    },
  };
}
