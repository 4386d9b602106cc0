import { createServer, type Server, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Drops every open connection and stops listening (connects are refused): the server gone. */
  cut(): void;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** A TCP proxy to 127.0.0.1:targetPort that a test can cut and restore, e.g. in front of Postgres. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    upstream.connect(targetPort, '127.0.0.1', () => {
      client.pipe(upstream);
      upstream.pipe(client);
    });
  });
  const listen = (port: number) => new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  const cut = () => {
    if (server.listening) server.close();
    for (const socket of open) socket.destroy();
    open.clear();
  };
  return {
    port,
    cut,
    restore: () => listen(port),
    close: () =>
      new Promise((resolve) => {
        cut();
        resolve();
      }),
  };
}
