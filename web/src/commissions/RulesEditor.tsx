import { TextField } from '../components/Field';
import { newRule, nextKey, type RuleDraft, type RuleKind, type TierDraft, type TierMode } from './plan-draft';

const KIND_LABELS: Record<RuleKind, string> = { percentage: 'Percentage', flat: 'Flat amount', tiered: 'Tiered' };

interface Props {
  rules: RuleDraft[];
  onChange: (rules: RuleDraft[]) => void;
  /** Path of this list in the errors: `rules` or `overrides.0.rules`. */
  path: string;
  errors: Record<string, string>;
  currency: string;
  /** Names the group: "Rules", "Override 1 rules". */
  label: string;
  /** Names each rule and the add buttons' target: "Rule" -> "Rule 1"; "Override 1 rule" -> "Override 1 rule 1". */
  ruleName?: string;
}

/** A list of rules; the amounts of all of them add up to the commission. */
export function RulesEditor({ rules, onChange, path, errors, currency, label, ruleName = 'Rule' }: Props) {
  const scope = ruleName === 'Rule' ? '' : ` to ${ruleName.replace(/ rule$/, '').toLowerCase()}`;
  const replace = (key: number, rule: RuleDraft) => onChange(rules.map((r) => (r.key === key ? rule : r)));
  return (
    <fieldset className="fieldset rules-editor" aria-label={label}>
      <legend>{label}</legend>
      {errors[path] && <p className="field-error">{errors[path]}</p>}
      {rules.length === 0 && <p className="muted">No rules: members are paid their own rate from the Team page, if they have one.</p>}
      {rules.map((rule, i) => (
        <RuleFields
          key={rule.key}
          rule={rule}
          label={`${ruleName} ${i + 1}`}
          path={`${path}.${i}`}
          errors={errors}
          currency={currency}
          onChange={(r) => replace(rule.key, r)}
          onRemove={() => onChange(rules.filter((r) => r.key !== rule.key))}
        />
      ))}
      <div className="row-actions">
        {(Object.keys(KIND_LABELS) as RuleKind[]).map((kind) => (
          <button key={kind} type="button" aria-label={scope ? `Add ${kind} rule${scope}` : undefined} onClick={() => onChange([...rules, newRule(kind, rules.length)])}>
            Add {kind} rule
          </button>
        ))}
      </div>
    </fieldset>
  );
}

interface RuleProps {
  rule: RuleDraft;
  label: string;
  path: string;
  errors: Record<string, string>;
  currency: string;
  onChange: (rule: RuleDraft) => void;
  onRemove: () => void;
}

function RuleFields({ rule, label, path, errors, currency, onChange, onRemove }: RuleProps) {
  return (
    <div className="rule" role="group" aria-label={label}>
      <div className="rule-head">
        <strong>
          {label}: {KIND_LABELS[rule.kind].toLowerCase()}
        </strong>
        <button type="button" className="btn-danger-outline" aria-label={`Remove ${label.toLowerCase()}`} onClick={onRemove}>
          Remove
        </button>
      </div>
      <div className="form-inline">
        <TextField label="Rule id" name={`${path}.id`} value={rule.id} onChange={(e) => onChange({ ...rule, id: e.target.value })} error={errors[`${path}.id`]} hint="Shown in the trace." />
        {rule.kind === 'percentage' && (
          <TextField label="Rate (%)" name={`${path}.rateBps`} inputMode="decimal" placeholder="10" value={rule.rate} onChange={(e) => onChange({ ...rule, rate: e.target.value })} error={errors[`${path}.rateBps`]} />
        )}
        {rule.kind === 'flat' && (
          <TextField
            label={`Amount per sale (${currency})`}
            name={`${path}.amountMinor`}
            inputMode="decimal"
            placeholder="50.00"
            value={rule.amount}
            onChange={(e) => onChange({ ...rule, amount: e.target.value })}
            error={errors[`${path}.amountMinor`]}
          />
        )}
        {rule.kind === 'tiered' && (
          <div className="field">
            <label htmlFor={`${path}-mode`}>Mode</label>
            <select id={`${path}-mode`} value={rule.mode} onChange={(e) => onChange({ ...rule, mode: e.target.value as TierMode })}>
              <option value="marginal">Marginal: each part of the volume earns its tier’s rate</option>
              <option value="retroactive">Retroactive: the whole period earns the tier reached</option>
            </select>
          </div>
        )}
      </div>
      {rule.kind === 'tiered' && <TiersTable tiers={rule.tiers} path={`${path}.tiers`} errors={errors} currency={currency} label={label} onChange={(tiers) => onChange({ ...rule, tiers })} />}
    </div>
  );
}

interface TiersProps {
  tiers: TierDraft[];
  path: string;
  errors: Record<string, string>;
  currency: string;
  label: string;
  onChange: (tiers: TierDraft[]) => void;
}

/** Tiers by the period's volume: from what volume each rate applies (the first from 0). */
function TiersTable({ tiers, path, errors, currency, label, onChange }: TiersProps) {
  const set = (key: number, changes: Partial<TierDraft>) => onChange(tiers.map((t) => (t.key === key ? { ...t, ...changes } : t)));
  return (
    <>
      {errors[path] && <p className="field-error">{errors[path]}</p>}
      <table className="table tiers-table" aria-label={`Tiers of ${label.toLowerCase()}`}>
        <thead>
          <tr>
            <th scope="col">From period volume ({currency})</th>
            <th scope="col">Rate (%)</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tiers.map((t, i) => {
            const at = `${path}.${i}`;
            return (
              <tr key={t.key}>
                <td>
                  <input
                    aria-label={`Tier ${i + 1} from`}
                    inputMode="decimal"
                    value={t.from}
                    readOnly={i === 0}
                    aria-invalid={errors[`${at}.fromMinor`] ? true : undefined}
                    onChange={(e) => set(t.key, { from: e.target.value })}
                  />
                  {errors[`${at}.fromMinor`] && <p className="field-error">{errors[`${at}.fromMinor`]}</p>}
                </td>
                <td>
                  <input
                    aria-label={`Tier ${i + 1} rate (%)`}
                    inputMode="decimal"
                    value={t.rate}
                    aria-invalid={errors[`${at}.rateBps`] ? true : undefined}
                    onChange={(e) => set(t.key, { rate: e.target.value })}
                  />
                  {errors[`${at}.rateBps`] && <p className="field-error">{errors[`${at}.rateBps`]}</p>}
                </td>
                <td>
                  {i > 0 && (
                    <button type="button" aria-label={`Remove tier ${i + 1}`} onClick={() => onChange(tiers.filter((x) => x.key !== t.key))}>
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p>
        <button type="button" onClick={() => onChange([...tiers, { key: nextKey(), from: '', rate: '' }])}>
          Add tier
        </button>
      </p>
    </>
  );
}
