// Operator commands for the data keys of payload encryption (codec/README.md):
//   node --import tsx scripts/data-keys.ts rotate <orgId|platform>
//     a new data key version for an organization (or the platform key); older versions keep
//     decrypting. Uses DATABASE_URL (the app role) and FLOWLINE_ENCRYPTION_KEY.
//   node --import tsx scripts/data-keys.ts rewrap [--limit N]
//     after putting a new master key first in FLOWLINE_ENCRYPTION_KEY ("k2:<new>,k1:<old>"):
//     re-wraps every data key with it, as the owner (MIGRATION_DATABASE_URL, else DATABASE_URL).
//     Safe to interrupt and run again; when it prints "remaining 0" the old key may leave the ring.
//   node --import tsx scripts/data-keys.ts seal-credentials [--limit N]
//     moves integration credentials still sealed by the master key ring (v1) to their
//     organization's data key (v2), in batches: lists them as the owner (MIGRATION_DATABASE_URL,
//     else DATABASE_URL) and re-seals each as the worker of its organization (DATABASE_URL).
//     Safe to interrupt and run again; "remaining 0" means every credential uses a data key.
import { ConfigError, loadRuntimeEnv } from '../config/env';
import { sealCredentialsWithDataKeys } from '../codec/credentials';
import { DataKeyStore, PLATFORM_SCOPE, rewrapDataKeys } from '../codec/keys';
import { createSql } from '../db/client';
import { parseKeyRing } from '../db/secrets';
import { say } from './lib/progress';

const USAGE = 'usage: data-keys.ts rotate <orgId|platform> | rewrap [--limit N] | seal-credentials [--limit N]';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type DataKeysCommand = { kind: 'rotate'; scope: string } | { kind: 'rewrap' | 'seal-credentials'; limit?: number };

/** The command line as a command; a ConfigError with the usage otherwise. */
export function parseDataKeysCommand(args: string[]): DataKeysCommand {
  const [verb, ...rest] = args;
  if (verb === 'rotate' && rest.length === 1 && (rest[0] === PLATFORM_SCOPE || UUID.test(rest[0]!))) return { kind: 'rotate', scope: rest[0]!.toLowerCase() };
  if ((verb === 'rewrap' || verb === 'seal-credentials') && rest.length === 0) return { kind: verb };
  if ((verb === 'rewrap' || verb === 'seal-credentials') && rest.length === 2 && rest[0] === '--limit' && /^[1-9]\d*$/.test(rest[1]!)) return { kind: verb, limit: Number(rest[1]) };
  throw new ConfigError(USAGE);
}

async function main(): Promise<void> {
  const command = parseDataKeysCommand(process.argv.slice(2));
  const env = loadRuntimeEnv();
  if (!env.FLOWLINE_ENCRYPTION_KEY) throw new ConfigError('FLOWLINE_ENCRYPTION_KEY is not set: there are no data keys to manage');
  const ring = parseKeyRing(env.FLOWLINE_ENCRYPTION_KEY);
  if (command.kind === 'rotate') {
    const sql = createSql(env.DATABASE_URL, { max: 1 });
    try {
      const key = await new DataKeyStore({ sql, ring }).rotate(command.scope);
      say(`data keys: ${command.scope} now encrypts with version ${key.version} (older versions still decrypt)`);
    } finally {
      await sql.end();
    }
    return;
  }
  const owner = createSql(process.env.MIGRATION_DATABASE_URL || env.DATABASE_URL, { max: 1 });
  if (command.kind === 'seal-credentials') {
    const app = createSql(env.DATABASE_URL, { max: 2 });
    try {
      const result = await sealCredentialsWithDataKeys(owner, app, ring, command.limit ? { limit: command.limit } : {});
      say(`credentials: sealed ${result.sealed} with organization data keys, remaining ${result.remaining}`);
    } finally {
      await app.end();
      await owner.end();
    }
    return;
  }
  try {
    const result = await rewrapDataKeys(owner, ring, command.limit ? { limit: command.limit } : {});
    say(`data keys: rewrapped ${result.rewrapped} with master key "${ring.currentKeyId}", remaining ${result.remaining}`);
  } finally {
    await owner.end();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  });
}
