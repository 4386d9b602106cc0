import { z } from 'zod';
import { isTemplate } from '../../expressions';
import { text } from '../../schemas';
import { DEFAULT_HANDLE, type NodeType } from '../../types';
import { GHL_RETRY, GHL_TIMEOUT_MS, ghlRetry, integrationId } from './common';

const field = (title: string, description: string) => text().max(500).optional().meta({ title, description, 'x-ui': 'expression' });

const config = z
  .strictObject({
    email: field('Email', 'Matched first by the location\'s duplicate rules; may use {{ … }} expressions.'),
    phone: field('Phone', 'E.164 (e.g. +15550100); matched when no email matches.'),
    firstName: field('First name', 'May use {{ … }} expressions.'),
    lastName: field('Last name', 'May use {{ … }} expressions.'),
    name: field('Full name', 'Used when first and last names are not given.'),
    companyName: field('Company', 'May use {{ … }} expressions.'),
    source: field('Source', 'Where the contact came from, e.g. "Flowline".'),
    tags: z.array(text().min(1)).max(100).default([]).meta({ title: 'Tags', description: "Added to the contact's tags (existing tags are kept)." }),
    customFields: z
      .record(z.string().min(1).max(100), text())
      .refine((m) => Object.keys(m).length <= 100, 'at most 100 custom fields')
      .default({})
      .meta({ title: 'Custom fields', description: 'Custom field id → value; values may be {{ … }} expressions.', 'x-ui': 'expression', 'x-key-label': 'Field id' }),
    integrationId: integrationId(),
    retry: ghlRetry(),
  })
  .superRefine((value, ctx) => {
    const given = (v: string | undefined) => v !== undefined && v.trim() !== '';
    if (!given(value.email) && !given(value.phone)) ctx.addIssue({ code: 'custom', path: ['email'], message: 'an email or a phone is needed to match the contact' });
    if (given(value.email) && !isTemplate(value.email!) && !/^[^\s@]+@[^\s@]+$/.test(value.email!.trim())) {
      ctx.addIssue({ code: 'custom', path: ['email'], message: 'must be an email address or a {{ … }} expression' });
    }
  });

export type GhlContactUpsertConfig = z.infer<typeof config>;

export const ghlContactUpsert: NodeType<GhlContactUpsertConfig> = {
  type: 'ghl.contact.upsert',
  version: 1,
  label: 'GHL: create or update contact',
  group: 'ghl',
  description: 'Creates the contact in GoHighLevel or updates the one matching its email or phone; its output is {new, contact}.',
  config,
  handles: () => [DEFAULT_HANDLE],
  inputs: 'any',
  errorHandle: true,
  runtime: { kind: 'activity', activity: 'ghlAction' },
  retry: GHL_RETRY,
  timeoutMs: GHL_TIMEOUT_MS,
};
