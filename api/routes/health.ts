import { Router } from 'express';
import { z } from 'zod';
import type { OperationDoc } from '../openapi';
import { type ReadinessChecker, readinessReportSchema } from '../readiness';

export const healthDocs: OperationDoc[] = [
  {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the API process answers',
    tags: ['operations'],
    responses: { 200: { description: 'Alive', schema: z.object({ status: z.literal('ok') }) } },
  },
  {
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: a workflow goes API -> Temporal -> worker -> Postgres and back',
    tags: ['operations'],
    responses: {
      200: { description: 'Every part is up', schema: readinessReportSchema },
      503: { description: 'At least one part is down; the report names it', schema: readinessReportSchema },
    },
  },
];

export function healthRoutes(readiness: ReadinessChecker): Router {
  const router = Router();
  // Liveness: the process answers. Never touches a dependency, so it cannot flap with them.
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Readiness: every part of the platform, end to end.
  router.get('/readyz', async (_req, res) => {
    const report = await readiness.check();
    res.status(report.status === 'ready' ? 200 : 503).json(report);
  });
  return router;
}
