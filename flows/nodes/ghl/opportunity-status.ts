import { z } from 'zod';
import { DEFAULT_HANDLE, type NodeType } from '../../types';
import { GHL_RETRY, GHL_TIMEOUT_MS, ghlIdField, ghlRetry, integrationId } from './common';

const config = z.strictObject({
  opportunityId: ghlIdField('Opportunity id', 'The GoHighLevel opportunity id; may use {{ … }} expressions.'),
  status: z.enum(['open', 'won', 'lost', 'abandoned']).meta({ title: 'Status', description: 'The status the opportunity gets.' }),
  integrationId: integrationId(),
  retry: ghlRetry(),
});

export type GhlOpportunityStatusConfig = z.infer<typeof config>;

// Setting a status is idempotent: a retried call sets the same status again.
export const ghlOpportunityUpdateStatus: NodeType<GhlOpportunityStatusConfig> = {
  type: 'ghl.opportunity.updateStatus',
  version: 1,
  label: 'GHL: set opportunity status',
  group: 'ghl',
  description: 'Marks a GoHighLevel opportunity open, won, lost or abandoned; its output is {opportunityId, status}.',
  config,
  handles: () => [DEFAULT_HANDLE],
  inputs: 'any',
  errorHandle: true,
  runtime: { kind: 'activity', activity: 'ghlAction' },
  retry: GHL_RETRY,
  timeoutMs: GHL_TIMEOUT_MS,
};
