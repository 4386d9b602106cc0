import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { freePorts } from '../../scripts/lib/ports';

const ROOT = path.resolve(__dirname, '..', '..');
const DATA_DIR = path.join(ROOT, '.data', 'test', 'npm-start');

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `npm start`'s entry point in its own process group, as a terminal would run it. */
function start(env: Record<string, string>): Started {
  let output = '';
  const child = spawn(process.execPath, ['scripts/bootstrap.mjs', 'start'], {
    cwd: ROOT,
    env: { ...process.env, ...env, DATABASE_URL: '', TEMPORAL_ADDRESS: '' },
    detached: true,
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(started: Started, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!started.output().includes(text)) {
    if (Date.now() > deadline || started.child.exitCode !== null) {
      throw new Error(`"${text}" did not appear. Output:\n${started.output()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Processes still running that belong to this test's data directory (Temporal, Postgres). */
function leftovers(): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return ps.split('\n').filter((line) => line.includes(DATA_DIR) && !line.includes(' ps '));
}

describe('npm start on embedded defaults', () => {
  let ports: Record<string, string>;
  beforeAll(async () => {
    rmSync(DATA_DIR, { recursive: true, force: true });
    // Six distinct ports (picked one by one, two could be the same).
    const [api, temporal, ui, pg, ghl, llm] = (await freePorts(6)).map(String) as [string, string, string, string, string, string];
    ports = {
      PORT: api,
      TEMPORAL_PORT: temporal,
      TEMPORAL_UI_PORT: ui,
      FLOWLINE_PG_PORT: pg,
      FLOWLINE_GHL_SANDBOX_PORT: ghl,
      FLOWLINE_LLM_SANDBOX_PORT: llm,
      FLOWLINE_DATA_DIR: DATA_DIR,
      LOG_LEVEL: 'warn',
    };
  });
  afterAll(() => rmSync(DATA_DIR, { recursive: true, force: true }));

  async function runOnce(whileUp?: () => Promise<void>): Promise<string> {
    const started = start(ports);
    try {
      await waitFor(started, 'ready (Ctrl-C stops everything)', 180_000);
      const readyz = await fetch(`http://127.0.0.1:${ports.PORT}/readyz`);
      expect(readyz.status).toBe(200);
      const ui = await fetch(`http://127.0.0.1:${ports.TEMPORAL_UI_PORT}/`);
      expect(ui.status).toBe(200);
      expect(leftovers().length).toBeGreaterThan(0); // sanity: the probe does see our servers
      await whileUp?.();
    } finally {
      // Ctrl-C: SIGINT to the whole foreground process group.
      if (started.child.pid && started.child.exitCode === null) process.kill(-started.child.pid, 'SIGINT');
    }
    expect(await started.exited).toBe(0);
    expect(started.output()).toContain('[flowline] stopped');
    expect(leftovers()).toEqual([]);
    return started.output();
  }

  // Each run waits up to 180 s for "ready" on a busy machine, plus the shutdown.
  const RUN_TIMEOUT_MS = 240_000;

  it('reaches ready, answers /readyz and the Temporal UI, and Ctrl-C leaves no process behind', async () => {
    // The GHL sandbox is wired through: a new organization connects it in one call and GHL answers.
    const output = await runOnce(async () => {
      const api = `http://127.0.0.1:${ports.PORT}/api/v1`;
      const signup = await fetch(`${api}/auth/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'sandbox@example.test', password: 'a long password', fullName: 'Sandy', organizationName: 'Sandbox Co' }),
      }).then((r) => r.json() as Promise<{ session: { accessToken: string }; organization: { id: string } }>);
      const headers = { authorization: `Bearer ${signup.session.accessToken}`, 'content-type': 'application/json' };
      const connected = await fetch(`${api}/orgs/${signup.organization.id}/integrations/ghl/sandbox`, { method: 'POST', headers });
      expect(connected.status).toBe(201);
      const { id } = (await connected.json()) as { id: string };
      const tested = await fetch(`${api}/orgs/${signup.organization.id}/integrations/${id}/test`, { method: 'POST', headers }).then((r) => r.json() as Promise<{ ok: boolean }>);
      expect(tested.ok).toBe(true);
    });
    expect(output).toMatch(/GHL sandbox +http:\/\/[\w.]+:\d+/);
    expect(output).toMatch(/LLM sandbox +http:\/\/[\w.]+:\d+\/v1 \(model "flowline-sandbox"/);
    expect(output).toMatch(/migrations: \d+ applied/);
    expect(output).toMatch(/API docs +http:\/\/localhost:\d+\/api\/docs/);
  }, RUN_TIMEOUT_MS);

  it('reuses the same data on a second start', async () => {
    const output = await runOnce();
    expect(output).toContain('migrations: 0 applied');
    expect(output).not.toContain('initialising a new cluster');
  }, RUN_TIMEOUT_MS);
});
