import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadRuntimeEnv } from '../../config/env';

const ROOT = path.resolve(__dirname, '..', '..');
// Code that runs inside the api and worker processes.
const APP_DIRS = ['api', 'workers', 'workflows', 'activities', 'db', 'flows'];

function sourceFiles(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out = out.concat(sourceFiles(full));
    else if (/\.tsx?$/.test(entry)) out.push(full);
  }
  return out;
}

describe('runtime configuration', () => {
  it('is read only by config/env.ts, so its schema lists every variable a deployment must set', () => {
    const offenders = APP_DIRS.flatMap((d) => sourceFiles(path.join(ROOT, d))).filter((f) =>
      readFileSync(f, 'utf8').includes('process.env'),
    );
    expect(offenders.map((f) => path.relative(ROOT, f))).toEqual([]);
  });

  it('applies the documented defaults', () => {
    const env = loadRuntimeEnv({ DATABASE_URL: 'postgres://u:p@localhost:5432/db' });
    expect(env).toMatchObject({
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'flowline',
      PORT: 3000,
    });
  });

  it('treats an empty variable as unset, so its default applies', () => {
    const env = loadRuntimeEnv({ DATABASE_URL: 'postgres://u:p@localhost:5432/db', PORT: '', TEMPORAL_ADDRESS: '' });
    expect(env).toMatchObject({ PORT: 3000, TEMPORAL_ADDRESS: '127.0.0.1:7233' });
  });

  it('names each invalid variable in one error', () => {
    const attempt = () => loadRuntimeEnv({ DATABASE_URL: 'not a url', PORT: 'eighty' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/DATABASE_URL: .*PORT: /);
  });

  it('refuses a short JWT secret, and defaults the session settings', () => {
    expect(() => loadRuntimeEnv({ DATABASE_URL: 'postgres://u:p@localhost:5432/db', JWT_SECRET: 'too-short' })).toThrow(/JWT_SECRET: must be at least 32 characters/);
    const env = loadRuntimeEnv({ DATABASE_URL: 'postgres://u:p@localhost:5432/db', JWT_SECRET: 'x'.repeat(32) });
    expect(env).toMatchObject({ ACCESS_TOKEN_TTL_SECONDS: 900, REFRESH_TOKEN_TTL_SECONDS: 2_592_000, LOGIN_RATE_LIMIT_PER_EMAIL: 10 });
  });
});
