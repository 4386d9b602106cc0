import { z } from 'zod';
import { DEFAULT_HANDLE, type NodeType } from '../../types';

const DOTTED_PATH = /^[A-Za-z0-9_$-]{1,100}(\.[A-Za-z0-9_$-]{1,100}){0,19}$/;

const config = z.strictObject({
  /** async: answer 202 with the execution id at once; sync: wait for a flow.respond node. */
  mode: z.enum(['async', 'sync']).default('async').meta({ title: 'Mode', description: 'async answers 202 at once; sync waits for a "Respond to webhook" node.' }),
  /** sync mode: how long the caller waits for flow.respond before a 504. */
  responseTimeoutMs: z.int().min(1_000).max(120_000).default(30_000).meta({ title: 'Response timeout (ms)', description: 'Sync mode: how long the caller waits before a 504.' }),
  /** Dotted path in the JSON body whose value deduplicates deliveries, e.g. "event.id". */
  idempotencyField: z.string().regex(DOTTED_PATH, 'must be a dotted path in the JSON body, e.g. "event.id"').optional().meta({ title: 'Idempotency field', description: 'Dotted path in the JSON body whose value deduplicates deliveries, e.g. "event.id".' }),
  /** Require an HMAC-SHA256 of the raw body, keyed with the workflow's secret. */
  requireSignature: z.boolean().default(false).meta({ title: 'Require signature', description: 'Require an HMAC-SHA256 of the raw body, keyed with the workflow’s secret.' }),
});

export type WebhookTriggerConfig = z.infer<typeof config>;

export const webhookTrigger: NodeType<WebhookTriggerConfig> = {
  type: 'trigger.webhook',
  version: 1,
  label: 'Webhook',
  group: 'triggers',
  description: 'Starts the flow when an HTTP request arrives at the workflow’s webhook URL.',
  config,
  handles: () => [DEFAULT_HANDLE],
  inputs: 'none',
  errorHandle: false,
  runtime: { kind: 'trigger' },
};
