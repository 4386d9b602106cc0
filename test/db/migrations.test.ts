import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSql, type Sql } from '../../db/client';
import { migrate, MIGRATIONS_DIR, readMigrations } from '../../db/migrate';
import { createScratchDatabase } from '../helpers/db';

describe('migration runner', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let sql: Sql;

  beforeEach(async () => {
    scratch = await createScratchDatabase();
    sql = createSql(scratch.url, { max: 4 });
  });
  afterEach(async () => {
    await sql.end();
    await scratch.drop();
  });

  it('applies every migration to an empty database, in order', async () => {
    const files = await readMigrations();
    const result = await migrate(sql);
    expect(result.applied).toEqual(files.map((f) => f.name));
    const ledger = await sql`select name from flowline_meta.schema_migrations order by version`;
    expect(ledger.map((r) => r.name)).toEqual(files.map((f) => f.name));
    const [info] = await sql`select migrated from app.platform_info()`;
    expect(info?.migrated).toBe(true);
  });

  it('is a no-op the second time', async () => {
    await migrate(sql);
    const again = await migrate(sql);
    expect(again.applied).toEqual([]);
    expect(again.skipped).toHaveLength((await readMigrations()).length);
  });

  it('applies each file exactly once when several processes migrate at the same time', async () => {
    const results = await Promise.all([migrate(sql), migrate(sql), migrate(sql)]);
    // The lock is taken per file, so runners may share the work; each file lands once overall.
    const appliedEverywhere = results.flatMap((r) => r.applied).sort();
    const files = await readMigrations();
    const total = files.length;
    expect(appliedEverywhere).toEqual(files.map((f) => f.name));
    const [row] = await sql`select count(*)::int as n from flowline_meta.schema_migrations`;
    expect(row?.n).toBe(total);
  });

  describe('with a migrations folder of its own', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'flowline-migrations-'));
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('refuses to continue when an applied migration was edited', async () => {
      await migrate(sql, dir);
      const [first] = await readMigrations(dir);
      writeFileSync(path.join(dir, first!.name), `${first!.sql}\n-- edited\n`);
      await expect(migrate(sql, dir)).rejects.toThrow(/was changed after it was applied/);
    });

    it('rolls back a failing migration completely and records nothing for it', async () => {
      writeFileSync(
        path.join(dir, '29991231000000_broken.sql'),
        'create table half_done (id int);\nthis is not sql;\n',
      );
      await expect(migrate(sql, dir)).rejects.toThrow(/syntax error/);
      const [table] = await sql`select to_regclass('public.half_done') as t`;
      expect(table?.t).toBeNull();
      const ledger = await sql`select name from flowline_meta.schema_migrations where name = '29991231000000_broken.sql'`;
      expect(ledger).toHaveLength(0);
    });

    it('rejects a file whose name does not carry a timestamp', async () => {
      writeFileSync(path.join(dir, 'oops.sql'), 'select 1;');
      await expect(readMigrations(dir)).rejects.toThrow(/must look like/);
    });
  });
});
