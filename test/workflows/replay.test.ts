import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { stackEnv } from '../helpers/stack-env';

const HISTORIES = path.join(__dirname, '..', 'histories');

/*
 * Every history recorded under test/histories/ must replay against today's workflow code.
 * A failure here means a change would break workflows already running in production: guard
 * it with patched() instead. Record new histories with scripts/record-history.ts.
 */
describe('recorded workflow histories replay deterministically', () => {
  const files = readdirSync(HISTORIES).filter((f) => f.endsWith('.json'));

  beforeAll(() => {
    try {
      Runtime.install({ logger: new DefaultLogger('ERROR') });
    } catch {
      // installed already in this process
    }
  });

  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s', async (file) => {
    const history: unknown = JSON.parse(readFileSync(path.join(HISTORIES, file), 'utf8'));
    const results = Worker.runReplayHistories(
      { workflowBundle: { codePath: stackEnv.workflowBundlePath } },
      [{ workflowId: file, history }],
    );
    let replayed = 0;
    for await (const result of results) {
      expect(result.error).toBeUndefined();
      replayed += 1;
    }
    expect(replayed).toBe(1);
  });
});
