import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { type Request, Router } from 'express';
import { z } from 'zod';
import type { Sql } from '../../db/client';
import { withClaims } from '../../db/tenant';
import type { FlowIR } from '../../flows/types';
import { responseUpdate } from '../../workflows/flow/messages';
import { startExecution } from '../flows/executions';
import { HttpError } from '../http/errors';
import type { Services } from '../http/route';
import type { OperationDoc } from '../openapi';
import { problemSchema } from '../openapi';

export const hookDocs: OperationDoc[] = (['post', 'get'] as const).map((method) => ({
  method,
  path: '/hooks/{token}',
  summary: 'Start the published workflow behind this webhook URL',
  tags: ['webhooks'],
  parameters: [{ name: 'token', in: 'path', required: true }],
  responses: {
    202: { description: 'Accepted (async mode): `{executionId}`; a redelivery with the same Idempotency-Key answers the same id', schema: z.object({ executionId: z.string(), duplicate: z.boolean() }) },
    200: { description: 'Sync mode: the response set by the flow.respond node' },
    401: { description: 'Missing or wrong X-Flowline-Signature (when the trigger requires one)', schema: problemSchema },
    404: { description: 'Unknown token, or the workflow is not published', schema: problemSchema },
    413: { description: 'Body over the limit', schema: problemSchema },
    504: { description: 'Sync mode: no response in time; the run continues (executionId in the problem)', schema: problemSchema },
  },
}));

interface Target {
  organization_id: string;
  workflow_id: string;
  version_id: string;
  version: number;
  ir: FlowIR;
  webhook_secret: string;
}

interface WebhookTrigger {
  mode?: 'async' | 'sync';
  responseTimeoutMs?: number;
  idempotencyField?: string;
  requireSignature?: boolean;
}

const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;
// Headers a flow never needs to see: credentials of the caller's own session.
const DROPPED_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

function field(body: unknown, path: string): string | undefined {
  let cur: unknown = body;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return typeof cur === 'string' || typeof cur === 'number' ? String(cur) : undefined;
}

function verifySignature(req: Request, raw: Buffer, secret: string): boolean {
  const header = req.get('x-flowline-signature') ?? '';
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header);
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  return timingSafeEqual(expected, Buffer.from(match[1]!, 'hex'));
}

/**
 * Public webhook endpoint. The token finds the workflow (through one SECURITY DEFINER function
 * for `anon`); the execution row is written with worker claims for that organization, so RLS
 * still scopes it.
 */
export function hookRoutes(deps: { sql: Sql; services: Services; maxBodyBytes: number }): Router {
  const router = Router();
  const raw = express.raw({ type: () => true, limit: deps.maxBodyBytes });
  router.all('/hooks/:token', raw, async (req, res) => {
    if (req.method !== 'POST' && req.method !== 'GET') throw new HttpError(405, 'Use POST or GET');
    const token = req.params.token ?? '';
    if (!TOKEN.test(token)) throw new HttpError(404, 'No such webhook');
    const [target] = await withClaims(deps.sql, { role: 'anon' }, (tx) => tx<Target[]>`select * from app.webhook_target(${token})`);
    if (!target) throw new HttpError(404, 'No such webhook');
    const trigger = target.ir.nodes[target.ir.triggerId];
    if (target.ir.triggerType !== 'trigger.webhook' || !trigger) throw new HttpError(404, 'This workflow does not start from a webhook');
    const config = trigger.config as WebhookTrigger;
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (config.requireSignature && !verifySignature(req, rawBody, target.webhook_secret)) {
      throw new HttpError(401, 'Missing or invalid X-Flowline-Signature (sha256=<hex HMAC-SHA256 of the raw body>)');
    }
    let body: unknown = rawBody.length ? rawBody.toString('utf8') : null;
    if (rawBody.length && (req.get('content-type') ?? '').includes('json')) {
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        throw new HttpError(400, 'The body is not valid JSON', [{ path: 'body', message: 'Invalid JSON' }]);
      }
    }
    const payload = {
      method: req.method,
      headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => !DROPPED_HEADERS.has(k))),
      query: req.query,
      body,
    };
    const idempotencyKey = req.get('idempotency-key') ?? (config.idempotencyField ? field(body, config.idempotencyField) : undefined);
    if (idempotencyKey !== undefined && idempotencyKey.length > 200) throw new HttpError(422, 'Idempotency-Key is longer than 200 characters');
    const asOrg = <T>(fn: Parameters<typeof withClaims<T>>[2]) => withClaims(deps.sql, { role: 'worker', org_id: target.organization_id }, fn);
    const started = await startExecution(asOrg, deps.services, {
      orgId: target.organization_id,
      version: { id: target.version_id, workflow_id: target.workflow_id, version: target.version, ir: target.ir },
      trigger: payload,
      triggerType: 'webhook',
      idempotencyKey,
    });
    if (config.mode !== 'sync') {
      res.status(202).json({ executionId: started.executionId, duplicate: started.duplicate });
      return;
    }
    const timeoutMs = config.responseTimeoutMs ?? 30_000;
    const handle = deps.services.temporal.workflow.getHandle(started.temporalWorkflowId);
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
    const response = await Promise.race([handle.executeUpdate(responseUpdate), timeout]);
    if (response === 'timeout') {
      throw new HttpError(504, `No response within ${timeoutMs} ms; the run continues`, undefined, undefined, { executionId: started.executionId });
    }
    for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
    res.setHeader('x-flowline-execution-id', started.executionId);
    if (typeof response.body === 'string') res.status(response.status).send(response.body);
    else res.status(response.status).json(response.body);
  });
  return router;
}
