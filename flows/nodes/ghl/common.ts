/*
 * What every GoHighLevel node shares: the integration it acts through, its retry policy and
 * the activity that runs it. One activity (`ghlAction`) serves every GHL node type: it
 * dispatches on the node type, so the worker registers one name and the compiler checks one.
 */
import { z } from 'zod';
import { retryOverride, text } from '../../schemas';
import type { RetryPolicy } from '../../types';

/** The GHL integration (connected location) a node acts through; absent = the org's only one. */
export const integrationId = () =>
  z.uuid().optional().meta({ title: 'Integration', description: "The connected GoHighLevel location's integration id; empty means the organization's only one." });

/** A GHL id (contact, calendar, opportunity…) as written or computed by a {{ … }} template. */
export const ghlIdField = (title: string, description: string) => text().min(1).max(200).meta({ title, description, 'x-ui': 'expression' });

/** Tags: each may be a {{ … }} template. */
export const tagList = (description: string) =>
  z.array(text().min(1)).min(1).max(100).meta({ title: 'Tags', description });

export const ghlRetry = () => retryOverride().optional().meta({ title: 'Retry', description: 'Overrides of the retry policy; unset fields keep the default.' });

/**
 * 429s wait as long as GHL asks (the activity sets the next retry delay); network trouble and
 * 5xx back off. Refused credentials, bad requests and unknown ids fail at once.
 */
export const GHL_RETRY: RetryPolicy = { maximumAttempts: 5, initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 60_000 };
export const GHL_TIMEOUT_MS = 60_000;
