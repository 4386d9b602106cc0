import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { createApp } from '../../api/app';
import type { Sql } from '../../db/client';
import { stackEnv } from './stack-env';

export interface RunningApp {
  url: string;
  close(): Promise<void>;
}

/** The real Express app on an ephemeral port, wired to the shared Temporal server. */
export async function startApp(deps: { sql: Sql; taskQueue: string; readyzTimeoutMs?: number }): Promise<RunningApp> {
  const connection = await Connection.connect({ address: stackEnv.temporalAddress });
  const temporal = new Client({ connection, namespace: stackEnv.namespace });
  const app = createApp({
    sql: deps.sql,
    temporal,
    log: pino({ level: 'silent' }),
    taskQueue: deps.taskQueue,
    temporalUiUrl: 'http://localhost:8233',
    readyzTimeoutMs: deps.readyzTimeoutMs ?? 10_000,
    readyzCacheMs: 0,
    webDistDir: 'web/dist',
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await connection.close();
    },
  };
}
