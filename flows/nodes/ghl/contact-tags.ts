import { z } from 'zod';
import { DEFAULT_HANDLE, type NodeType } from '../../types';
import { GHL_RETRY, GHL_TIMEOUT_MS, ghlIdField, ghlRetry, integrationId, tagList } from './common';

const config = (verb: string) =>
  z.strictObject({
    contactId: ghlIdField('Contact id', 'The GoHighLevel contact id, e.g. {{ nodes.upsert.output.contact.id }}.'),
    tags: tagList(`Tags to ${verb}; each may be a {{ … }} expression.`),
    integrationId: integrationId(),
    retry: ghlRetry(),
  });

const addConfig = config('add');
const removeConfig = config('remove');
export type GhlContactTagsConfig = z.infer<typeof addConfig>;

// Adding or removing tags is idempotent in GHL: a retried call leaves the same tags.
export const ghlContactAddTags: NodeType<GhlContactTagsConfig> = {
  type: 'ghl.contact.addTags',
  version: 1,
  label: 'GHL: add tags',
  group: 'ghl',
  description: "Adds tags to a GoHighLevel contact; its output is the contact's tags.",
  config: addConfig,
  handles: () => [DEFAULT_HANDLE],
  inputs: 'any',
  errorHandle: true,
  runtime: { kind: 'activity', activity: 'ghlAction' },
  retry: GHL_RETRY,
  timeoutMs: GHL_TIMEOUT_MS,
};

export const ghlContactRemoveTags: NodeType<GhlContactTagsConfig> = {
  ...ghlContactAddTags,
  type: 'ghl.contact.removeTags',
  label: 'GHL: remove tags',
  description: "Removes tags from a GoHighLevel contact; its output is the contact's remaining tags.",
  config: removeConfig,
};
