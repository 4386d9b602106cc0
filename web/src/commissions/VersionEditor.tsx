import { TextField } from '../components/Field';
import { newOverride, type OverrideDraft, type VersionDraft } from './plan-draft';
import { RulesEditor } from './RulesEditor';

interface Props {
  draft: VersionDraft;
  onChange: (draft: VersionDraft) => void;
  errors: Record<string, string>;
}

/** One plan version: when it starts, its currency, rules, overrides and caps. */
export function VersionEditor({ draft, onChange, errors }: Props) {
  const set = (changes: Partial<VersionDraft>) => onChange({ ...draft, ...changes });
  const currency = draft.currency || '…';
  return (
    <div className="version-editor">
      <div className="grid-2">
        <TextField
          label="Effective from"
          name="effectiveFrom"
          type="datetime-local"
          required
          value={draft.effectiveFrom}
          onChange={(e) => set({ effectiveFrom: e.target.value })}
          error={errors.effectiveFrom}
          hint="Sales paid from then on use this version (your browser’s time zone)."
        />
        <TextField label="Currency" name="currency" required maxLength={3} value={draft.currency} onChange={(e) => set({ currency: e.target.value.toUpperCase() })} error={errors.currency} hint="Sales in another currency are held for review." />
      </div>
      <RulesEditor rules={draft.rules} onChange={(rules) => set({ rules })} path="rules" errors={errors} currency={currency} label="Rules" />
      <OverridesEditor overrides={draft.overrides} onChange={(overrides) => set({ overrides })} errors={errors} currency={currency} />
      <fieldset className="fieldset">
        <legend>Caps (optional)</legend>
        <div className="grid-2">
          <TextField
            label={`Per deal (${currency})`}
            name="caps.perDealMinor"
            inputMode="decimal"
            value={draft.capPerDeal}
            onChange={(e) => set({ capPerDeal: e.target.value })}
            error={errors['caps.perDealMinor']}
            hint="The most one sale can earn."
          />
          <TextField
            label={`Per period (${currency})`}
            name="caps.perPeriodMinor"
            inputMode="decimal"
            value={draft.capPerPeriod}
            onChange={(e) => set({ capPerPeriod: e.target.value })}
            error={errors['caps.perPeriodMinor']}
            hint="The most a member can earn in one pay period."
          />
        </div>
      </fieldset>
      <TextField label="Version note" name="note" value={draft.note} maxLength={500} onChange={(e) => set({ note: e.target.value })} error={errors.note} hint="What changed, for the history." />
    </div>
  );
}

interface OverridesProps {
  overrides: OverrideDraft[];
  onChange: (overrides: OverrideDraft[]) => void;
  errors: Record<string, string>;
  currency: string;
}

/** Rules for some products or pipelines; the first override that matches a sale replaces the base rules. */
function OverridesEditor({ overrides, onChange, errors, currency }: OverridesProps) {
  const set = (key: number, changes: Partial<OverrideDraft>) => onChange(overrides.map((o) => (o.key === key ? { ...o, ...changes } : o)));
  const moveUp = (i: number) => {
    const next = [...overrides];
    [next[i - 1], next[i]] = [next[i]!, next[i - 1]!];
    onChange(next);
  };
  return (
    <fieldset className="fieldset" aria-label="Overrides">
      <legend>Overrides</legend>
      <p className="field-hint">For particular products or pipelines. The first override matching a sale replaces the rules above; put the most specific first.</p>
      {overrides.map((o, i) => {
        const at = `overrides.${i}`;
        const name = `Override ${i + 1}`;
        return (
          <div key={o.key} className="override" role="group" aria-label={name}>
            <div className="rule-head">
              <strong>{name}</strong>
              <div className="row-actions">
                {i > 0 && (
                  <button type="button" aria-label={`Move ${name.toLowerCase()} up`} onClick={() => moveUp(i)}>
                    Move up
                  </button>
                )}
                <button type="button" className="btn-danger-outline" aria-label={`Remove ${name.toLowerCase()}`} onClick={() => onChange(overrides.filter((x) => x.key !== o.key))}>
                  Remove
                </button>
              </div>
            </div>
            {errors[at] && <p className="field-error">{errors[at]}</p>}
            <div className="form-inline">
              <TextField label="Override id" name={`${at}.id`} value={o.id} onChange={(e) => set(o.key, { id: e.target.value })} error={errors[`${at}.id`]} />
              <TextField
                label="Product ids"
                name={`${at}.productIds`}
                value={o.productIds}
                onChange={(e) => set(o.key, { productIds: e.target.value })}
                error={errors[`${at}.productIds`]}
                hint="Comma-separated; empty: any product."
              />
              <TextField
                label="Pipeline ids"
                name={`${at}.pipelineIds`}
                value={o.pipelineIds}
                onChange={(e) => set(o.key, { pipelineIds: e.target.value })}
                error={errors[`${at}.pipelineIds`]}
                hint="Comma-separated; empty: any pipeline."
              />
            </div>
            <RulesEditor rules={o.rules} onChange={(rules) => set(o.key, { rules })} path={`${at}.rules`} errors={errors} currency={currency} label={`${name} rules`} ruleName={`${name} rule`} />
          </div>
        );
      })}
      <p>
        <button type="button" onClick={() => onChange([...overrides, newOverride(overrides.length)])}>
          Add override
        </button>
      </p>
    </fieldset>
  );
}
