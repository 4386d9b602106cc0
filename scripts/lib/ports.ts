import net from 'node:net';
import { StartupError } from './errors';

function tryListen(port: number, host: string): Promise<number | NodeJS.ErrnoException> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err));
    server.listen(port, host, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

/** Fails with a sentence naming the port, what wanted it and how to pick another one. */
export async function assertPortFree(port: number, what: string, envVar: string): Promise<void> {
  const result = await tryListen(port, '127.0.0.1');
  if (typeof result === 'number') return;
  if (result.code === 'EADDRINUSE') {
    throw new StartupError(`Port ${port} (${what}) is already in use: stop what uses it, or set ${envVar} to a free port.`);
  }
  throw new StartupError(`Cannot listen on port ${port} (${what}): ${result.message}.`);
}

export async function freePort(): Promise<number> {
  const result = await tryListen(0, '127.0.0.1');
  if (typeof result !== 'number') throw result;
  return result;
}

/**
 * `count` distinct free ports: each is held until all are picked, so two calls in a row cannot
 * answer the same port (the OS may hand a just-released port out again).
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      servers.push(server);
    }
    return servers.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}
