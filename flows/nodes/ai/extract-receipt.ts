import { z } from 'zod';
import { retryOverride, text } from '../../schemas';
import { DEFAULT_HANDLE, type NodeType } from '../../types';

const config = z.strictObject({
  url: text().min(1).meta({ title: 'File URL', description: 'Where the receipt image (JPEG, PNG, WebP) or PDF is, e.g. {{ trigger.body.attachments[0].url }}.', 'x-ui': 'expression' }),
  model: text().min(1).max(200).optional().meta({ title: 'Model', description: "A vision-capable model; unset: the platform's receipt model.", 'x-ui': 'expression' }),
  maxBytes: z.int().min(1_024).max(50 * 1024 * 1024).optional().meta({ title: 'Max size (bytes)', description: 'Larger files are refused while they download (default 10 MB).' }),
  minConfidence: z.number().min(0).max(1).optional().meta({ title: 'Min confidence', description: 'Below this (0 to 1) a field is flagged and needsReview is true (default 0.8).' }),
  retry: retryOverride().optional().meta({ title: 'Retry', description: 'Overrides of the retry policy; unset fields keep the default.' }),
  /** Per attempt: the download and the model call. */
  timeoutMs: z.int().min(1_000).max(600_000).optional().meta({ title: 'Timeout (ms)', description: 'Per attempt, in milliseconds.' }),
});

export type ExtractReceiptNodeConfig = z.infer<typeof config>;

export const extractReceiptNode: NodeType<ExtractReceiptNodeConfig> = {
  type: 'ai.extractReceipt',
  version: 1,
  label: 'Read receipt',
  group: 'ai',
  description:
    'Downloads a receipt (image or PDF) and reads it with a vision model: vendor, date, currency, total and tax in minor units, line items, payment method, reference, ' +
    'per-field confidence, and needsReview when a person should check it.',
  config,
  handles: () => [DEFAULT_HANDLE],
  inputs: 'any',
  errorHandle: true,
  runtime: { kind: 'activity', activity: 'extractReceipt' },
  retry: { maximumAttempts: 3, initialIntervalMs: 2_000, backoffCoefficient: 2, maximumIntervalMs: 60_000 },
  timeoutMs: 180_000,
};
