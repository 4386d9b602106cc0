/*
 * Config building blocks shared by the node types. A config string may hold `{{ … }}`
 * templates: the schemas accept them as written and the compiler parses each one.
 */
import { z } from 'zod';
import { ID_PATTERN } from './definition';
import { parseDuration } from './duration';
import { isTemplate, MAX_TEMPLATE_LENGTH } from './expressions';

/** Any string (templates allowed), as long as a template may be. */
export const text = () => z.string().max(MAX_TEMPLATE_LENGTH);

/** A string that must hold a `{{ … }}` template (its value is computed at run time). */
export const template = () => text().refine(isTemplate, 'must be a {{ … }} expression');

/** A handle or other identifier chosen by the author. */
export const idLike = () => z.string().regex(ID_PATTERN, 'must be 1 to 64 letters, digits, "_" or "-"');

/** Any JSON value; strings inside may be templates. */
export const jsonValue = () => z.json();

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,200}$/;

/** HTTP header names to (template) values. */
export const headerMap = () =>
  z
    .record(z.string().regex(HEADER_NAME, 'is not a valid HTTP header name'), text())
    .refine((headers) => Object.keys(headers).length <= 100, 'at most 100 headers');

/** Query parameter names to (template) values. */
export const stringMap = () =>
  z
    .record(z.string().min(1).max(200), text())
    .refine((map) => Object.keys(map).length <= 100, 'at most 100 entries');

/** A duration ("30s", "PT1H", ms) or a template computing one at run time. */
export const duration = () =>
  z.union([z.string(), z.number()]).superRefine((value, ctx) => {
    if (isTemplate(value)) return;
    const parsed = parseDuration(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem });
  });

/** Per-node retry override of an activity node; unset fields keep the node type's default. */
export const retryOverride = () =>
  z
    .strictObject({
      maximumAttempts: z.int().min(1).max(10),
      initialIntervalMs: z.int().min(100).max(3_600_000),
      backoffCoefficient: z.number().min(1).max(10),
      maximumIntervalMs: z.int().min(100).max(86_400_000),
    })
    .partial();

/** An http(s) URL, or a template that computes one (checked again by the activity). */
export const httpUrl = () =>
  text().refine((value) => isTemplate(value) || isHttpUrl(value), 'must be an http(s) URL or a {{ … }} expression');

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** A boolean, or a template that computes one. */
export const booleanOrTemplate = () =>
  z.union([z.boolean(), template()], { error: 'must be true, false or a {{ … }} expression' });
