/*
 * A plan version as the editor holds it (text in boxes) and its conversion to the API's
 * VersionInput. Rates are entered in percent and amounts in major units; both are converted by
 * digits (commission-rate.ts, money.ts), then the result is checked against the engine's own
 * planVersionSchema, so what the editor accepts is exactly what the engine runs.
 */
import { planVersionSchema } from '../../../commissions/plan';
import type { PlanVersion, Rule, VersionInput } from '../api/commissions';
import { bpsToPercent, percentToBps } from '../commission-rate';
import { minorToMajor, parseMajor } from './money';

export type RuleKind = Rule['kind'];
export type TierMode = 'marginal' | 'retroactive';

export interface TierDraft {
  key: number;
  from: string;
  rate: string;
}

export type RuleDraft =
  | { key: number; kind: 'percentage'; id: string; rate: string }
  | { key: number; kind: 'flat'; id: string; amount: string }
  | { key: number; kind: 'tiered'; id: string; mode: TierMode; tiers: TierDraft[] };

export interface OverrideDraft {
  key: number;
  id: string;
  /** Comma-separated ids; empty means "any". */
  productIds: string;
  pipelineIds: string;
  rules: RuleDraft[];
}

export interface VersionDraft {
  /** datetime-local, in the browser's time zone. */
  effectiveFrom: string;
  currency: string;
  rules: RuleDraft[];
  overrides: OverrideDraft[];
  capPerDeal: string;
  capPerPeriod: string;
  note: string;
}

// React keys for rows the user adds and removes; never sent.
let lastKey = 0;
export const nextKey = () => ++lastKey;

/** `Date` -> "2026-03-01T09:30" in the browser's time zone (what a datetime-local box holds). */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function newRule(kind: RuleKind, index: number): RuleDraft {
  const key = nextKey();
  const id = `${kind}-${index + 1}`;
  if (kind === 'percentage') return { key, kind, id, rate: '' };
  if (kind === 'flat') return { key, kind, id, amount: '' };
  return { key, kind, id, mode: 'marginal', tiers: [{ key: nextKey(), from: '0', rate: '' }] };
}

export function newOverride(index: number): OverrideDraft {
  return { key: nextKey(), id: `override-${index + 1}`, productIds: '', pipelineIds: '', rules: [newRule('percentage', 0)] };
}

export function emptyDraft(now: Date, currency = 'USD'): VersionDraft {
  // A plan starts as a plain 10% so the preview has something to show at once.
  const base: RuleDraft = { key: nextKey(), kind: 'percentage', id: 'base-rate', rate: '10' };
  return { effectiveFrom: toLocalInput(now), currency, rules: [base], overrides: [], capPerDeal: '', capPerPeriod: '', note: '' };
}

function ruleDraft(rule: Rule, currency: string): RuleDraft {
  const key = nextKey();
  if (rule.kind === 'percentage') return { key, kind: 'percentage', id: rule.id, rate: bpsToPercent(rule.rateBps) };
  if (rule.kind === 'flat') return { key, kind: 'flat', id: rule.id, amount: minorToMajor(rule.amountMinor, currency) };
  return {
    key,
    kind: 'tiered',
    id: rule.id,
    mode: rule.mode,
    tiers: rule.tiers.map((t) => ({ key: nextKey(), from: minorToMajor(t.fromMinor, currency), rate: bpsToPercent(t.rateBps) })),
  };
}

/** A saved version as the start of the next one: same rules, effective from `now`. */
export function draftFromVersion(v: Pick<PlanVersion, 'currency' | 'rules' | 'overrides' | 'caps'>, now: Date): VersionDraft {
  const c = v.currency;
  return {
    effectiveFrom: toLocalInput(now),
    currency: c,
    rules: v.rules.map((r) => ruleDraft(r, c)),
    overrides: (v.overrides ?? []).map((o) => ({
      key: nextKey(),
      id: o.id,
      productIds: (o.productIds ?? []).join(', '),
      pipelineIds: (o.pipelineIds ?? []).join(', '),
      rules: o.rules.map((r) => ruleDraft(r, c)),
    })),
    capPerDeal: v.caps?.perDealMinor === undefined ? '' : minorToMajor(v.caps.perDealMinor, c),
    capPerPeriod: v.caps?.perPeriodMinor === undefined ? '' : minorToMajor(v.caps.perPeriodMinor, c),
    note: '',
  };
}

export type DraftResult = { ok: true; version: VersionInput } | { ok: false; errors: Record<string, string> };

const RATE_HINT = 'Enter a percentage from 0 to 100 with at most two decimals.';
const AMOUNT_HINT = 'Enter an amount, such as 50.00.';

/** The draft as the API takes it, or messages by field path (`rules.0.rateBps`, `caps.perDealMinor`). */
export function toVersionInput(draft: VersionDraft): DraftResult {
  const errors: Record<string, string> = {};
  const currency = draft.currency.trim().toUpperCase();
  const rate = (text: string, path: string) => {
    const bps = percentToBps(text);
    if (bps === undefined || bps === null) errors[path] = RATE_HINT;
    return bps ?? 0;
  };
  const amount = (text: string, path: string) => {
    const minor = parseMajor(text, currency);
    if (minor === undefined) errors[path] = AMOUNT_HINT;
    return minor ?? 0;
  };
  const rules = (drafts: RuleDraft[], prefix: string): Rule[] =>
    drafts.map((r, i): Rule => {
      const at = `${prefix}.${i}`;
      const id = r.id.trim();
      if (r.kind === 'percentage') return { kind: r.kind, id, rateBps: rate(r.rate, `${at}.rateBps`) };
      if (r.kind === 'flat') return { kind: r.kind, id, amountMinor: amount(r.amount, `${at}.amountMinor`) };
      return {
        kind: r.kind,
        id,
        mode: r.mode,
        tiers: r.tiers.map((t, j) => ({ fromMinor: amount(t.from, `${at}.tiers.${j}.fromMinor`), rateBps: rate(t.rate, `${at}.tiers.${j}.rateBps`) })),
      };
    });
  const ids = (text: string) => {
    const list = text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return list.length > 0 ? list : undefined;
  };

  const effective = draft.effectiveFrom ? new Date(draft.effectiveFrom) : undefined;
  if (!effective || Number.isNaN(effective.getTime())) errors.effectiveFrom = 'Enter the date and time this version starts.';
  const caps: NonNullable<VersionInput['caps']> = {};
  if (draft.capPerDeal.trim()) caps.perDealMinor = amount(draft.capPerDeal, 'caps.perDealMinor');
  if (draft.capPerPeriod.trim()) caps.perPeriodMinor = amount(draft.capPerPeriod, 'caps.perPeriodMinor');
  const version: VersionInput = {
    effectiveFrom: effective && !Number.isNaN(effective.getTime()) ? effective.toISOString() : draft.effectiveFrom,
    currency,
    rules: rules(draft.rules, 'rules'),
    overrides: draft.overrides.map((o, i) => {
      const productIds = ids(o.productIds);
      const pipelineIds = ids(o.pipelineIds);
      return { id: o.id.trim(), ...(productIds ? { productIds } : {}), ...(pipelineIds ? { pipelineIds } : {}), rules: rules(o.rules, `overrides.${i}.rules`) };
    }),
    caps,
    ...(draft.note.trim() ? { note: draft.note.trim() } : {}),
  };

  // The engine's schema has the last word (tiers rising, an override naming what it matches, ...).
  const { note: _note, ...checked } = version;
  const parsed = planVersionSchema.safeParse({ planId: 'draft', version: 1, ...checked });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.join('.') || 'version';
      errors[path] ??= issue.message;
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, version };
}

/** An error path from the API (`version.rules.0.rateBps` when creating a plan) as the editor's own. */
export function editorPath(apiPath: string): string {
  return apiPath.replace(/^version\./, '');
}

/** "10%", "50.00 USD flat", "tiered, marginal, 3 tiers": a rule in a few words. */
export function describeRule(rule: Rule, currency: string): string {
  if (rule.kind === 'percentage') return `${bpsToPercent(rule.rateBps)}%`;
  if (rule.kind === 'flat') return `${minorToMajor(rule.amountMinor, currency)} ${currency} flat`;
  return `tiered, ${rule.mode}, ${rule.tiers.length} tier${rule.tiers.length === 1 ? '' : 's'}`;
}
