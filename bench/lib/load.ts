// Load generation for bench/flows.ts: a no-op HTTP target and a closed-loop load driver.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
// ---------------------------------------------------------------------------------------------
// Local servers and load
// ---------------------------------------------------------------------------------------------
export async function listen(server: Server): Promise<{ port: number; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The third-party API of the http.request nodes: `{}` at once, to every request. */
export function noopHttpServer(): Server {
  return createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' });
      res.end('{}');
    });
  });
}

export interface Load {
  latencies: number[];
  elapsedMs: number;
  errors: number;
  firstError?: string;
}

/** `concurrency` loops calling `op` back to back until `durationMs` has passed. */
export async function load(durationMs: number, concurrency: number, op: () => Promise<void>): Promise<Load> {
  const result: Load = { latencies: [], elapsedMs: 0, errors: 0 };
  const start = performance.now();
  const deadline = start + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await op();
          result.latencies.push(performance.now() - t0);
        } catch (err) {
          result.errors += 1;
          result.firstError ??= err instanceof Error ? err.message : String(err);
        }
      }
    }),
  );
  result.elapsedMs = performance.now() - start;
  return result;
}

export function combine(loads: Load[]): Load {
  return {
    latencies: loads.flatMap((l) => l.latencies),
    elapsedMs: loads.reduce((sum, l) => sum + l.elapsedMs, 0),
    errors: loads.reduce((sum, l) => sum + l.errors, 0),
    firstError: loads.find((l) => l.firstError)?.firstError,
  };
}

export const throughput = (l: Load) => l.latencies.length / (l.elapsedMs / 1000);

