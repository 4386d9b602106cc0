import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { StartupError } from '../../scripts/lib/errors';
import { assertPortFree, freePort } from '../../scripts/lib/ports';
import { assertReachable } from '../../scripts/lib/postgres';
import { ensureTemporalCli } from '../../scripts/lib/temporal-cli';
import { stackEnv } from '../helpers/stack-env';

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs `npm start`'s entry point and collects what a user would see. */
function runStart(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/bootstrap.mjs', 'start'], { cwd: ROOT, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

function expectOneClearSentence(output: string, sentence: RegExp): void {
  expect(output).toMatch(sentence);
  // No stack trace: frames look like "    at fn (file:line:col)".
  expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

async function listenOn(port: number): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

describe('start-up failures are one clear sentence', () => {
  it('names a port that is already in use and the variable that changes it', async () => {
    const port = await freePort();
    const server = await listenOn(port);
    try {
      await expect(assertPortFree(port, 'Flowline API', 'PORT')).rejects.toThrow(
        new StartupError(`Port ${port} (Flowline API) is already in use: stop what uses it, or set PORT to a free port.`),
      );
      const { code, output } = await runStart({ PORT: String(port) });
      expect(code).toBe(1);
      expectOneClearSentence(output, new RegExp(`Port ${port} \\(Flowline API\\) is already in use`));
    } finally {
      server.close();
    }
  });

  it('names an unreachable DATABASE_URL and how to fix it', async () => {
    await expect(assertReachable('postgres://u:p@127.0.0.1:9/flowline', 'DATABASE_URL')).rejects.toThrow(StartupError);
    const { code, output } = await runStart({
      PORT: String(await freePort()),
      TEMPORAL_ADDRESS: stackEnv.temporalAddress,
      DATABASE_URL: 'postgres://u:p@127.0.0.1:9/flowline',
    });
    expect(code).toBe(1);
    expectOneClearSentence(output, /Cannot reach PostgreSQL at 127\.0\.0\.1:9\/flowline \(DATABASE_URL\).*unset DATABASE_URL/);
    expect(output).not.toContain('u:p@'); // the password never reaches the terminal
  });

  it('names an unreachable TEMPORAL_ADDRESS and how to fix it', async () => {
    const { code, output } = await runStart({ PORT: String(await freePort()), TEMPORAL_ADDRESS: '127.0.0.1:9' });
    expect(code).toBe(1);
    expectOneClearSentence(output, /Cannot reach Temporal at 127\.0\.0\.1:9 \(TEMPORAL_ADDRESS\).*unset TEMPORAL_ADDRESS/);
  });

  it('explains how to get the Temporal CLI when neither it nor Go is available', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'flowline-nocli-'));
    const cache = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = root; // an empty cache
    try {
      await expect(ensureTemporalCli(root, { searchPath: '', goFallbacks: [] })).rejects.toThrow(
        /Temporal CLI is needed.*put a `temporal` binary on PATH.*install Go 1\.25\+.*TEMPORAL_ADDRESS/,
      );
    } finally {
      process.env.XDG_CACHE_HOME = cache;
      if (cache === undefined) delete process.env.XDG_CACHE_HOME;
      rmSync(root, { recursive: true, force: true });
    }
  });
});
