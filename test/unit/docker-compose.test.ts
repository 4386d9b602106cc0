import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { RUNTIME_ENV_KEYS } from '../../config/env';

const ROOT = path.resolve(__dirname, '..', '..');

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }> | string[];
}

// Docker cannot run on every machine that runs the tests, so the file is checked statically.
describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, Service>;
    configs?: Record<string, { content?: string }>;
  };
  const { services } = compose;

  it('has the production-like services', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'postgres', 'setup', 'temporal', 'temporal-ui', 'worker']);
    expect(services.temporal?.image).toMatch(/^temporalio\/auto-setup:/);
    expect(services['temporal-ui']?.image).toMatch(/^temporalio\/ui:/);
  });

  it('publishes the app, the Temporal frontend and the Temporal UI on their usual ports', () => {
    expect(services.api?.ports).toContain('3000:3000');
    expect(services.temporal?.ports).toContain('7233:7233');
    expect(services['temporal-ui']?.ports).toContain('8233:8080');
  });

  it.each(['api', 'worker', 'setup'])('wires every variable the app reads into %s', (name) => {
    const env = services[name]?.environment ?? {};
    for (const key of RUNTIME_ENV_KEYS) expect({ key, wired: key in env }).toEqual({ key, wired: true });
  });

  it('points the app at the compose Postgres and Temporal, and runs the Flowline entry points', () => {
    const env = services.api?.environment ?? {};
    expect(new URL(env.DATABASE_URL ?? '').hostname).toBe('postgres');
    // The app logs in as the unprivileged role; only setup uses the owner.
    expect(new URL(env.DATABASE_URL ?? '').username).toBe('flowline_app');
    expect(new URL(services.setup?.environment?.MIGRATION_DATABASE_URL ?? '').username).toBe('flowline');
    expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(services.api?.command?.join(' ')).toContain('api/server.ts');
    expect(services.worker?.command?.join(' ')).toContain('workers/main.ts');
    expect(services.setup?.command?.join(' ')).toContain('scripts/setup.ts');
  });

  it('starts the app only after migrations and search attributes are in place', () => {
    for (const name of ['api', 'worker']) {
      expect(services[name]?.depends_on).toMatchObject({ setup: { condition: 'service_completed_successfully' } });
    }
  });

  it('enables multi-operation requests (update-with-start) on the Temporal cluster', () => {
    expect(compose.configs?.['temporal-dynamic-config']?.content).toMatch(/frontend\.enableExecuteMultiOperation:\s*\n\s*- value: true/);
  });
});
