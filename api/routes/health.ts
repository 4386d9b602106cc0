import { Router } from 'express';
import type { ReadinessChecker } from '../readiness';

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
