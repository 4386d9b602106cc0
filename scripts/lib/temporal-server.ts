import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../../workflows/shared';
import { StartupError } from './errors';
import { stopChild } from './service';
import { assertPortFree } from './ports';

export interface TemporalHandle {
  address: string;
  uiUrl?: string;
  process?: ChildProcess;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  cli: string;
  port: number;
  /** Omit for a headless server (tests). */
  uiPort?: number;
  /** Omit for an in-memory server (tests). */
  dbFile?: string;
  logFile: string;
  readyTimeoutMs?: number;
  /** The remote codec the Web UI decodes payloads with (the API's /api/v1/codec). */
  uiCodecEndpoint?: string;
}

export function devServerArgs(opts: DevServerOptions): string[] {
  return [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(opts.port),
    '--log-level', 'warn',
    ...(opts.dbFile ? ['--db-filename', opts.dbFile] : []),
    ...(opts.uiPort ? ['--ui-port', String(opts.uiPort)] : ['--headless']),
    ...(opts.uiPort && opts.uiCodecEndpoint ? ['--ui-codec-endpoint', opts.uiCodecEndpoint] : []),
    ...SEARCH_ATTRIBUTES.flatMap((name) => ['--search-attribute', `${name}=Keyword`]),
    // Update-with-start (bot conversations) needs multi-operation requests.
    '--dynamic-config-value', 'frontend.enableExecuteMultiOperation=true',
  ];
}

/** Polls the frontend until it answers, or fails with a clear sentence. */
export async function waitForTemporal(address: string, timeoutMs: number, exited?: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    const early = exited?.();
    if (early) throw new StartupError(early);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new StartupError(`Temporal at ${address} did not answer within ${Math.round(timeoutMs / 1000)} s (${lastError}).`);
}

export async function startTemporalDevServer(opts: DevServerOptions): Promise<TemporalHandle> {
  await assertPortFree(opts.port, 'Temporal frontend', 'TEMPORAL_PORT');
  if (opts.uiPort) await assertPortFree(opts.uiPort, 'Temporal Web UI', 'TEMPORAL_UI_PORT');
  if (opts.dbFile) mkdirSync(path.dirname(opts.dbFile), { recursive: true });
  mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  const child = spawn(opts.cli, devServerArgs(opts), { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exitedWith: string | undefined;
  child.on('exit', (code, signal) => {
    exitedWith = `code ${code ?? signal}`;
  });
  const address = `127.0.0.1:${opts.port}`;
  await waitForTemporal(address, opts.readyTimeoutMs ?? 60_000, () =>
    exitedWith
      ? `The Temporal dev server exited (${exitedWith}) while starting; its log is ${opts.logFile}:\n${tail(opts.logFile)}`
      : undefined,
  );
  return {
    address,
    uiUrl: opts.uiPort ? `http://localhost:${opts.uiPort}` : undefined,
    process: child,
    stop: () => stopChild(child, 'SIGTERM', 15_000),
  };
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-10).join('\n');
  } catch {
    return '';
  }
}
