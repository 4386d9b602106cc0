import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { call } from './api';

type NodeSpec = [id: string, type: string, data?: Record<string, unknown>];
type EdgeSpec = [source: string, target: string, sourceHandle?: string];

/** A React Flow definition from a compact list of nodes and edges (as the canvas would save it). */
export function flow(nodes: NodeSpec[], edges: EdgeSpec[]) {
  return {
    nodes: nodes.map(([id, type, data], i) => ({ id, type, position: { x: i * 200, y: 0 }, data: data ?? {} })),
    edges: edges.map(([source, target, sourceHandle], i) => ({ id: `e${i}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) })),
  };
}

export interface FlowApi {
  create(definition: unknown, name?: string): Promise<{ id: string; webhookPath: string; webhookSecret: string }>;
  publish(workflowId: string): Promise<any>;
  run(workflowId: string, payload?: unknown): Promise<string>;
  /** Polls the execution until it reaches one of `statuses` (no timing assertions: a generous cap). */
  waitFor(executionId: string, statuses?: string[]): Promise<any>;
  get(executionId: string): Promise<any>;
}

export function flowApi(baseUrl: string, orgId: string, token: () => Promise<string>): FlowApi {
  const api = async (method: string, path: string, body?: unknown) => call(baseUrl, method, `/api/v1/orgs/${orgId}${path}`, { token: await token(), body });
  const self: FlowApi = {
    async create(definition, name = 'Test flow') {
      const res = await api('POST', '/workflows', { name, definition });
      if (res.status !== 201) throw new Error(`create answered ${res.status}: ${JSON.stringify(res.body)}`);
      return { id: res.body.id, webhookPath: res.body.webhook.path, webhookSecret: res.body.webhook.secret };
    },
    async publish(workflowId) {
      const res = await api('POST', `/workflows/${workflowId}/publish`, {});
      if (res.status !== 201) throw new Error(`publish answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async run(workflowId, payload) {
      const res = await api('POST', `/workflows/${workflowId}/run`, payload === undefined ? {} : { payload });
      if (res.status !== 201) throw new Error(`run answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body.executionId;
    },
    async get(executionId) {
      return (await api('GET', `/executions/${executionId}`)).body;
    },
    async waitFor(executionId, statuses = ['succeeded', 'failed', 'cancelled']) {
      for (let i = 0; i < 600; i += 1) {
        const body = await self.get(executionId);
        if (statuses.includes(body.status)) return body;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`execution ${executionId} never reached ${statuses.join('/')}`);
    },
  };
  return self;
}

/** A third-party HTTP API for http.request nodes: answers per path, and counts every hit. */
export interface TargetServer {
  url: string;
  hits: { method: string; path: string; body: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

export async function startTargetServer(routes: Record<string, (hit: TargetServer['hits'][number], n: number) => { status: number; body: unknown }>): Promise<TargetServer> {
  const hits: TargetServer['hits'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      const hit = { method: req.method ?? 'GET', path: req.url ?? '/', body: Buffer.concat(chunks).toString('utf8'), headers: req.headers };
      hits.push(hit);
      const route = routes[path];
      const n = hits.filter((h) => h.path.split('?')[0] === path).length;
      const { status, body } = route ? route(hit, n) : { status: 404, body: { error: 'not found' } };
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
