import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import express, { Router } from 'express';
import { z } from 'zod';
import type { Logger } from '../../config/logger';
import { withClaims } from '../../db/tenant';
import { ghlEventWorkflowId } from '../../workflows/ghl/event';
import { WORKFLOW_KINDS } from '../../workflows/shared';
import { WORKFLOW_WEBHOOK_TYPE } from '../../activities/integrations/ghl-events';
import { type GhlEvent, normalizeGhlEvent } from '../ghl/events';
import { GHL_PUBLISHED_RSA_PUBLIC_KEY_PEM } from '../ghl/published-keys';
import { verifyGhlSignature } from '../ghl/verify';
import { normalizeWorkflowWebhook } from '../ghl/workflow-webhook';
import { HttpError } from '../http/errors';
import type { Services } from '../http/route';
import type { OperationDoc } from '../openapi';
import { problemSchema } from '../openapi';

export const ghlWebhookDocs: OperationDoc[] = [
  {
    method: 'post',
    path: '/api/v1/integrations/ghl/webhooks',
    summary: "GoHighLevel marketplace webhooks: signed (x-ghl-signature Ed25519, else x-wh-signature RSA), routed by locationId",
    tags: ['integrations'],
    responses: {
      200: { description: 'Received (or already received: a replayed webhookId starts nothing)', schema: z.object({ received: z.boolean(), duplicate: z.boolean() }) },
      400: { description: 'Malformed JSON or not a GHL event', schema: problemSchema },
      401: { description: 'Missing or bad signature, or a stale timestamp', schema: problemSchema },
      404: { description: 'No organization has connected this location', schema: problemSchema },
      429: { description: 'Could not record it durably now: GHL retries on 429 (and only on 429)', schema: problemSchema },
    },
  },
  {
    method: 'post',
    path: '/api/v1/integrations/ghl/workflow-webhooks/{token}',
    summary: "A GoHighLevel workflow's \"Webhook\" action (unsigned: the URL's token is the secret; shown on the integration)",
    tags: ['integrations'],
    parameters: [{ name: 'token', in: 'path', required: true }],
    responses: {
      200: { description: 'Received (a redelivery of the same payment or contact starts nothing)', schema: z.object({ received: z.boolean(), duplicate: z.boolean() }) },
      400: { description: 'Malformed JSON', schema: problemSchema },
      404: { description: 'Unknown token', schema: problemSchema },
      422: { description: 'Not a GHL workflow webhook body, or for another location', schema: problemSchema },
      429: { description: 'Could not record it durably now: retry', schema: problemSchema },
    },
  },
];

interface Target {
  organization_id: string;
  integration_id: string;
}

/**
 * The GHL webhook endpoint. It answers only once the delivery is durable: recorded (keyed by
 * its webhookId, so a replay is a no-op) and its processing workflow started (keyed by the same
 * id). GHL retries only on 429, so a failure to record answers 429 rather than 5xx: anything
 * else would lose the event.
 */
export function ghlWebhookRoutes(deps: { services: Services; log: Logger; maxBodyBytes: number; now?: () => Date }): Router {
  const router = Router();
  const { services } = deps;
  const raw = express.raw({ type: () => true, limit: deps.maxBodyBytes });
  const keys = {
    ed25519PublicKeyPem: services.ghl.webhookKeys.ed25519PublicKeyPem,
    rsaPublicKeyPem: services.ghl.webhookKeys.rsaPublicKeyPem ?? GHL_PUBLISHED_RSA_PUBLIC_KEY_PEM,
  };

  router.post('/api/v1/integrations/ghl/webhooks', raw, async (req, res) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const verified = verifyGhlSignature({ rawBody, headers: req.headers, keys, now: (deps.now ?? (() => new Date()))() });
    if (!verified.ok) throw new HttpError(verified.status, verified.reason);
    const normalized = normalizeGhlEvent(verified.body);
    if (!normalized.ok) throw new HttpError(400, 'Not a GoHighLevel event', normalized.errors);
    const event: GhlEvent = normalized.event;
    if (!event.locationId) {
      // Agency-level deliveries (an app installed for a whole agency) name no location: nothing to route.
      res.status(200).json({ received: true, duplicate: false, routed: false });
      return;
    }
    const [target] = await withClaims(services.sql, { role: 'anon' }, (tx) => tx<Target[]>`select * from app.ghl_location_target(${event.locationId})`).catch(retryLater(event.webhookId));
    if (!target) throw new HttpError(404, 'No organization has connected this location');
    const duplicate = await recordAndStart({ orgId: target.organization_id, integrationId: target.integration_id, webhookId: event.webhookId, type: event.type, locationId: event.locationId, occurredAt: event.occurredAt, body: event });
    res.status(200).json({ received: true, duplicate });
  });

  // A GHL workflow's "Webhook" action: unsigned, so the URL's secret token names the location.
  router.post('/api/v1/integrations/ghl/workflow-webhooks/:token', raw, async (req, res) => {
    const token = req.params.token ?? '';
    if (!/^[0-9a-f]{48}$/.test(token)) throw new HttpError(404, 'No such webhook');
    const [target] = await withClaims(services.sql, { role: 'anon' }, (tx) => tx<(Target & { location_id: string })[]>`select * from app.ghl_workflow_webhook_target(${token})`).catch(
      retryLater(undefined),
    );
    if (!target) throw new HttpError(404, 'No such webhook');
    let body: unknown;
    try {
      body = JSON.parse((Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)).toString('utf8'));
    } catch {
      throw new HttpError(400, 'The body is not JSON');
    }
    const normalized = normalizeWorkflowWebhook(body);
    if (!normalized.ok) throw new HttpError(422, 'Not a GoHighLevel workflow webhook', normalized.errors);
    const delivery = normalized.delivery;
    if (delivery.locationId !== target.location_id) throw new HttpError(422, 'The delivery is for another location than this URL', [{ path: 'location.id', message: 'does not match the connected location' }]);
    const duplicate = await recordAndStart({
      orgId: target.organization_id,
      integrationId: target.integration_id,
      webhookId: `workflow:${delivery.deliveryKey}`,
      type: WORKFLOW_WEBHOOK_TYPE,
      locationId: delivery.locationId,
      occurredAt: (deps.now ?? (() => new Date()))().toISOString(),
      body: { type: WORKFLOW_WEBHOOK_TYPE, locationId: delivery.locationId, data: delivery },
    });
    res.status(200).json({ received: true, duplicate });
  });
  return router;

  /**
   * A failure to even look up where a delivery goes (the database is down) is not the sender's
   * fault: 429, GHL's only retry signal, or the delivery is lost.
   */
  function retryLater(webhookId: string | undefined): (err: unknown) => never {
    return (err) => {
      deps.log.error({ err, webhookId }, 'could not route a GHL delivery; asking GHL to retry');
      throw new HttpError(429, 'Could not record the delivery now; retry later', undefined, { 'retry-after': '5' });
    };
  }

  /** Records a delivery once (keyed by webhookId) and starts its workflow (keyed the same); true when it was seen before. */
  async function recordAndStart(d: { orgId: string; integrationId: string; webhookId: string; type: string; locationId: string; occurredAt: string; body: unknown }): Promise<boolean> {
    try {
      const duplicate = await withClaims(services.sql, { role: 'worker', org_id: d.orgId }, async (tx) => {
        const rows = await tx`
          insert into public.ghl_webhook_events (organization_id, webhook_id, integration_id, type, location_id, occurred_at, body)
          values (${d.orgId}, ${d.webhookId}, ${d.integrationId}, ${d.type}, ${d.locationId}, ${d.occurredAt}, ${tx.json(d.body as never)})
          on conflict (organization_id, webhook_id) do nothing
          returning webhook_id`;
        return rows.length === 0;
      });
      // Started even for a duplicate: a first delivery that crashed between the two steps is completed by the next.
      await services.temporal.workflow
        .start('ghlEventWorkflow', {
          taskQueue: services.taskQueue,
          workflowId: ghlEventWorkflowId(d.orgId, d.webhookId),
          // A delivery is processed once, ever: a redelivery after the first run finished starts nothing.
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          args: [{ orgId: d.orgId, webhookId: d.webhookId }],
          searchAttributes: { OrganizationId: [d.orgId], Kind: [WORKFLOW_KINDS.ghlEvent] },
        })
        .catch((err: unknown) => {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        });
      return duplicate;
    } catch (err) {
      deps.log.error({ err, webhookId: d.webhookId }, 'could not record a GHL delivery; asking GHL to retry');
      throw new HttpError(429, 'Could not record the delivery now; retry later', undefined, { 'retry-after': '5' });
    }
  }
}
