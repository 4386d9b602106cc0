import { apiRoutes } from '../../api/routes';
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
    app = await startApp({ taskQueue: 'docs-test-no-worker-needed' });
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

  it('documents every route of the route table with its body schema, bearer security and permission', async () => {
    const doc = (await (await fetch(`${app.url}/api/v1/openapi.json`)).json()) as any;
    for (const route of apiRoutes(app.auth)) {
      const op = doc.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method];
      expect({ route: `${route.method} ${route.path}`, documented: Boolean(op) }).toEqual({ route: `${route.method} ${route.path}`, documented: true });
      if (route.body) expect(op.requestBody.content['application/json'].schema.type).toBe('object');
      if (route.access.kind === 'org') {
        expect(op.security).toEqual([{ bearer: [] }]);
        expect(op.description).toContain(`${route.access.resource}:${route.access.action}`);
        expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403', '404']));
      }
    }
    const signup = doc.paths['/api/v1/auth/signup'].post.requestBody.content['application/json'].schema;
    expect(signup.required).toEqual(expect.arrayContaining(['email', 'password', 'fullName', 'organizationName']));
    expect(signup.additionalProperties).toBe(false);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
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
