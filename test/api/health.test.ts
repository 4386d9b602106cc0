import { randomUUID } from 'node:crypto';
import { createSql, type Sql } from '../../db/client';
import { startApp, type RunningApp } from '../helpers/app';
import { testSql, UNREACHABLE_DATABASE_URL } from '../helpers/db';
import { startWorker, type RunningWorker } from '../helpers/worker';

describe('health endpoints over HTTP against the real app', () => {
  let sql: Sql;
  beforeAll(() => {
    sql = testSql();
  });
  afterAll(async () => {
    await sql.end();
  });

  describe('with every part running', () => {
    let worker: RunningWorker;
    let app: RunningApp;
    beforeAll(async () => {
      worker = await startWorker();
      app = await startApp({ taskQueue: worker.taskQueue });
    });
    afterAll(async () => {
      await app.close();
      await worker.stop();
    });

    it('GET /healthz answers 200 without touching dependencies', async () => {
      const res = await fetch(`${app.url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    });

    it('GET /readyz answers 200 with postgres, temporal and worker up', async () => {
      const res = await fetch(`${app.url}/readyz`);
      const body = await res.json();
      expect(res.status).toBe(200);
      expect(body).toMatchObject({
        status: 'ready',
        postgres: { status: 'up' },
        temporal: { status: 'up' },
        worker: { status: 'up', taskQueue: worker.taskQueue, workflowId: expect.stringMatching(/^readiness:/) },
      });
    });

    it('answers unknown API routes with a problem+json 404', async () => {
      const res = await fetch(`${app.url}/api/v1/nothing-here`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({ status: 404, title: 'Not Found' });
    });

    it('answers a malformed JSON body with a problem+json 400', async () => {
      const res = await fetch(`${app.url}/api/v1/anything`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"broken": ',
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({ status: 400, title: 'Bad Request' });
    });

    it('serves the web app, with client-side routes falling back to it', async () => {
      for (const route of ['/', '/some/client/route']) {
        const res = await fetch(`${app.url}${route}`);
        expect(res.status).toBe(200);
        expect(await res.text()).toContain('<div id="root">');
      }
    });
  });

  it('GET /readyz answers 503 naming the worker when no worker polls the task queue', async () => {
    const app = await startApp({ taskQueue: `nobody-${randomUUID()}`, readyzTimeoutMs: 2000 });
    try {
      const res = await fetch(`${app.url}/readyz`);
      const body = await res.json();
      expect(res.status).toBe(503);
      expect(body).toMatchObject({
        status: 'not_ready',
        temporal: { status: 'up' },
        worker: { status: 'down', error: expect.stringMatching(/no worker completed the readiness workflow/) },
        // The API still checks its own connection when no worker can.
        postgres: { status: 'up', checkedBy: 'api' },
      });
    } finally {
      await app.close();
    }
  });

  it('GET /readyz answers 503 naming Postgres when the database is unreachable', async () => {
    const deadSql = createSql(UNREACHABLE_DATABASE_URL, { max: 1, connectTimeoutSeconds: 2 });
    const worker = await startWorker({ sql: deadSql });
    const app = await startApp({ sql: deadSql, taskQueue: worker.taskQueue });
    try {
      const res = await fetch(`${app.url}/readyz`);
      const body = await res.json();
      expect(res.status).toBe(503);
      expect(body).toMatchObject({
        status: 'not_ready',
        temporal: { status: 'up' },
        worker: { status: 'up' },
        postgres: { status: 'down', error: expect.any(String) },
      });
    } finally {
      await app.close();
      await worker.stop();
      await deadSql.end();
    }
  });
});
