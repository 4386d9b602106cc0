import { useId, useState } from 'react';
import { createSale, type Sale } from '../api/commissions';
import { SelectField, TextField } from '../components/Field';
import { ErrorAlert } from '../components/Notices';
import { useSubmit } from '../use-submit';
import { SALE_FIELDS, type SaleDraft, type SplitDraft, toNewSale } from './sale-input';
import { type Team, TeamOptions } from './use-team';

interface Props {
  orgId: string;
  team: Team;
  defaultCurrency: string;
  onCreated: (sale: Sale) => void;
  onCancel: () => void;
}

const EMPTY: Omit<SaleDraft, 'currency'> = { amount: '', paidAt: '', teamMemberId: '', externalId: '', productId: '', pipelineId: '', splits: [] };

/** A sale recorded by hand: the commission workflow prices it as it would a GHL payment. */
export function NewSaleForm({ orgId, team, defaultCurrency, onCreated, onCancel }: Props) {
  const [draft, setDraft] = useState<SaleDraft>({ ...EMPTY, currency: defaultCurrency });
  const [nextKey, setNextKey] = useState(1);
  const set = (changes: Partial<SaleDraft>) => setDraft((d) => ({ ...d, ...changes }));
  const splitFields = draft.splits.flatMap((_, i) => ['teamMemberId', 'creditBps', 'payoutBps'].map((f) => `splits.${i}.${f}`));
  const form = useSubmit([...SALE_FIELDS, ...splitFields], async () => {
    onCreated(await createSale(orgId, toNewSale(draft)));
  });
  const setSplit = (key: number, changes: Partial<SplitDraft>) => set({ splits: draft.splits.map((s) => (s.key === key ? { ...s, ...changes } : s)) });
  const addSplit = () => {
    set({ splits: [...draft.splits, { key: nextKey, teamMemberId: '', credit: '100', payout: '' }] });
    setNextKey((k) => k + 1);
  };

  return (
    <form className="form panel" onSubmit={form.onSubmit} noValidate aria-labelledby="new-sale-heading">
      <h2 id="new-sale-heading">Record a sale</h2>
      <ErrorAlert message={form.error} />
      <div className="grid-2">
        <TextField
          label="Amount"
          name="amountMinor"
          inputMode="decimal"
          autoComplete="off"
          placeholder="1234.56"
          required
          value={draft.amount}
          onChange={(e) => set({ amount: e.target.value })}
          error={form.fieldErrors.amountMinor}
          hint="In the currency’s main unit, with a point for decimals."
        />
        <TextField
          label="Currency"
          name="currency"
          required
          maxLength={3}
          autoComplete="off"
          value={draft.currency}
          onChange={(e) => set({ currency: e.target.value.toUpperCase() })}
          error={form.fieldErrors.currency}
        />
        <TextField label="Paid at" name="paidAt" type="datetime-local" value={draft.paidAt} onChange={(e) => set({ paidAt: e.target.value })} error={form.fieldErrors.paidAt} hint="Leave empty for now." />
        <SelectField label="Team member" name="teamMemberId" value={draft.teamMemberId} onChange={(e) => set({ teamMemberId: e.target.value })} error={form.fieldErrors.teamMemberId}>
          <option value="">Unattributed (assign later)</option>
          <TeamOptions team={team} />
        </SelectField>
        <TextField label="External ID" name="externalId" value={draft.externalId} onChange={(e) => set({ externalId: e.target.value })} error={form.fieldErrors.externalId} hint="An invoice or order number: recording it twice is then harmless." />
        <TextField label="Product ID" name="productId" value={draft.productId} onChange={(e) => set({ productId: e.target.value })} error={form.fieldErrors.productId} />
        <TextField label="Pipeline ID" name="pipelineId" value={draft.pipelineId} onChange={(e) => set({ pipelineId: e.target.value })} error={form.fieldErrors.pipelineId} />
      </div>
      <SplitsEditor team={team} splits={draft.splits} errors={form.fieldErrors} onChange={setSplit} onRemove={(key) => set({ splits: draft.splits.filter((s) => s.key !== key) })} onAdd={addSplit} />
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn-primary" disabled={form.busy}>
          Create sale
        </button>
      </div>
    </form>
  );
}

interface SplitsProps {
  team: Team;
  splits: SplitDraft[];
  errors: Record<string, string>;
  onChange: (key: number, changes: Partial<SplitDraft>) => void;
  onRemove: (key: number) => void;
  onAdd: () => void;
}

function SplitsEditor({ team, splits, errors, onChange, onRemove, onAdd }: SplitsProps) {
  const id = useId();
  return (
    <fieldset className="fieldset" aria-describedby={`${id}-hint`}>
      <legend>Splits (optional)</legend>
      <p id={`${id}-hint`} className="field-hint">
        Share one sale among several members. Credit counts toward each member’s volume; the payout shares divide the commission and add up to 100%.
      </p>
      {errors.splits && (
        <p className="field-error" data-testid="error-splits">
          {errors.splits}
        </p>
      )}
      {splits.map((s, i) => (
        <div key={s.key} className="form-inline split-row" role="group" aria-label={`Split ${i + 1}`}>
          <SelectField label="Member" name={`splits.${i}.teamMemberId`} value={s.teamMemberId} onChange={(e) => onChange(s.key, { teamMemberId: e.target.value })} error={errors[`splits.${i}.teamMemberId`]}>
            <option value="">Choose…</option>
            <TeamOptions team={team} />
          </SelectField>
          <TextField label="Credit (%)" name={`splits.${i}.creditBps`} inputMode="decimal" value={s.credit} onChange={(e) => onChange(s.key, { credit: e.target.value })} error={errors[`splits.${i}.creditBps`]} />
          <TextField label="Payout (%)" name={`splits.${i}.payoutBps`} inputMode="decimal" value={s.payout} onChange={(e) => onChange(s.key, { payout: e.target.value })} error={errors[`splits.${i}.payoutBps`]} />
          <div className="actions">
            <button type="button" className="btn-danger-outline" aria-label={`Remove split ${i + 1}`} onClick={() => onRemove(s.key)}>
              Remove
            </button>
          </div>
        </div>
      ))}
      <p>
        <button type="button" onClick={onAdd}>
          Add split
        </button>
      </p>
    </fieldset>
  );
}
