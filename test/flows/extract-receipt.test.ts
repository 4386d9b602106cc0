// The ai.extractReceipt node on the real stack: a flow downloads a receipt (following a
// redirect), the fake vision model reads it, and the flow branches on needsReview; files that
// are too big or not receipts fail the step with the reason.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sql } from '../../db/client';
import { startFakeLlm, type FakeLlm } from '../../fakes/llm';
import { tokenFor } from '../helpers/api';
import { startApp, type RunningApp } from '../helpers/app';
import { testSql } from '../helpers/db';
import { flow, flowApi, type FlowApi } from '../helpers/flow-api';
import { createTenant } from '../helpers/tenants';
import { startWorker, type RunningWorker } from '../helpers/worker';
import { fixture } from '../receipts/stack';

describe('ai.extractReceipt node', () => {
  let sql: Sql;
  let llm: FakeLlm;
  let worker: RunningWorker;
  let app: RunningApp;
  let files: Server;
  let filesUrl: string;
  let flows: FlowApi;
  const hits: string[] = [];

  beforeAll(async () => {
    sql = testSql();
    llm = await startFakeLlm();
    const coffee = fixture('coffee-shop.png');
    files = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/attachments/1') return void res.writeHead(302, { location: '/files/coffee-shop.png' }).end();
      if (req.url === '/files/coffee-shop.png') return void res.writeHead(200, { 'content-type': 'image/png', 'content-length': coffee.length }).end(coffee);
      if (req.url === '/files/big.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.concat([coffee, Buffer.alloc(64 * 1024)]));
      if (req.url === '/files/notes.txt') return void res.writeHead(200, { 'content-type': 'image/png' }).end('not an image');
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    worker = await startWorker({ llm: { baseURL: llm.url, apiKey: llm.apiKey } });
    app = await startApp({ taskQueue: worker.taskQueue });
    const t = await createTenant(sql, 'extract-node');
    flows = flowApi(app.url, t.orgId, () => tokenFor(app.auth, t.users.administrator.userId));
  });
  afterAll(async () => {
    await app?.close();
    await worker?.stop();
    await llm?.close();
    await new Promise((resolve) => files?.close(resolve));
    await sql?.end();
  });

  async function run(url: string, extra: Record<string, unknown> = {}) {
    const wf = await flows.create(
      flow(
        [
          ['start', 'trigger.manual'],
          ['read', 'ai.extractReceipt', { url: '{{ trigger.body.url }}', retry: { maximumAttempts: 1 }, ...extra }],
          ['check', 'logic.if', { condition: '{{ nodes.read.output.needsReview }}' }],
          ['review', 'data.set', { fields: { route: 'review', total: '{{ nodes.read.output.totalMinor }}' } }],
          ['book', 'data.set', { fields: { route: 'book', total: '{{ nodes.read.output.totalMinor }}', currency: '{{ nodes.read.output.currency }}' } }],
        ],
        [['start', 'read'], ['read', 'check'], ['check', 'review', 'true'], ['check', 'book', 'false']],
      ),
    );
    await flows.publish(wf.id);
    return flows.waitFor(await flows.run(wf.id, { url }));
  }

  it('reads a receipt behind a redirect and lets the flow branch on whether a person should check it', async () => {
    const execution = await run(`${filesUrl}/attachments/1`);
    expect(execution.status).toBe('succeeded');
    const read = execution.steps.find((s: any) => s.nodeId === 'read');
    expect(read.output).toMatchObject({ file: { contentType: 'image/png' }, needsReview: false, lowConfidenceFields: [] });
    expect(read.output.totalMinor).toBeGreaterThan(0);
    expect(execution.output).toEqual({ book: { route: 'book', total: read.output.totalMinor, currency: read.output.currency } });
    const request = llm.requests.at(-1)!;
    expect(JSON.stringify(request.messages)).toContain('data:image/png;base64,');
    expect(request.response_format?.type).toBe('json_schema');
  });

  it('flags low confidence when the flow asks for more certainty than the model has', async () => {
    const execution = await run(`${filesUrl}/files/coffee-shop.png`, { minConfidence: 0.99 });
    expect(execution.status).toBe('succeeded');
    expect(execution.output).toMatchObject({ review: { route: 'review' } });
  });

  it('refuses a file over the size limit while it downloads, and a file that is not a receipt', async () => {
    const big = await run(`${filesUrl}/files/big.png`, { maxBytes: 32 * 1024 });
    expect(big.status).toBe('failed');
    expect(JSON.stringify(big.error)).toMatch(/over the 32768-byte limit/);
    const text = await run(`${filesUrl}/files/notes.txt`);
    expect(text.status).toBe('failed');
    expect(JSON.stringify(text.error)).toMatch(/JPEG, PNG or WebP image, or a PDF/);
  });
});
