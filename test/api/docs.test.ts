import type { Sql } from '../../db/client';
import { startApp, type RunningApp } from '../helpers/app';
import { testSql } from '../helpers/db';

interface JsonSchema {
  required?: string[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
}
interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { schema: JsonSchema }> }> }>>;
}

describe('API documentation', () => {
  let sql: Sql;
  let app: RunningApp;
  beforeAll(async () => {
    sql = testSql();
    app = await startApp({ sql, taskQueue: 'docs-test-no-worker-needed' });
  });
  afterAll(async () => {
    await app.close();
    await sql.end();
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await fetch(`${app.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as OpenApiDoc;
    expect(doc.openapi).toBe('3.1.0');
    const readyz = doc.paths['/readyz']?.get;
    expect(Object.keys(readyz?.responses ?? {}).sort()).toEqual(['200', '503']);
    const schema = readyz?.responses['200']?.content['application/json']?.schema;
    expect(schema?.required).toEqual(expect.arrayContaining(['status', 'postgres', 'temporal', 'worker']));
    expect(schema?.properties?.postgres?.properties?.status?.enum).toEqual(['up', 'down', 'unknown']);
  });

  it('serves a browsable docs page with its assets', async () => {
    const page = await fetch(`${app.url}/api/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('swagger-ui-bundle.js');
    const bundle = await fetch(`${app.url}/api/docs/assets/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    const init = await fetch(`${app.url}/api/docs/init.js`);
    expect(await init.text()).toContain('/api/v1/openapi.json');
  });
});
