import type { Sql } from '../../db/client';
import { startApp, type RunningApp } from './app';
import { testSql } from './db';
import { startWorker, type RunningWorker } from './worker';

export interface AppStack {
  /** Owner connection for fixtures and for checking what the app wrote (RLS bypassed). */
  sql: Sql;
  worker: RunningWorker;
  app: RunningApp;
}

/**
 * For a describe block: the real API and a worker on the shared servers, both logged in as the
 * app role, started before its tests and stopped after them. Read the fields inside tests.
 */
export function useAppStack(): AppStack {
  const stack = {} as AppStack;
  beforeAll(async () => {
    stack.sql = testSql();
    stack.worker = await startWorker();
    stack.app = await startApp({ taskQueue: stack.worker.taskQueue });
  });
  afterAll(async () => {
    await stack.app?.close();
    await stack.worker?.stop();
    await stack.sql?.end();
  });
  return stack;
}
