import { useState } from 'react';
import { CONTACT_FIELDS, type GoalKind } from '../api/bots';
import { SelectField, TextField } from '../components/Field';
import type { GoalDraft } from './bot-draft';
import { TextAreaField } from './controls';

interface Props {
  goals: GoalDraft[];
  errors: Record<string, string>;
  onChange: (goals: GoalDraft[]) => void;
}

const KIND_LABELS: Record<GoalKind, string> = {
  custom: 'Described to the model only',
  appointment_booked: 'An appointment is booked',
  contact_field: 'A contact field is collected',
  tag_added: 'A tag is added',
};

/** What the bot works toward (book a call, qualify a lead): ids are what tools and reports name. */
export function GoalsEditor({ goals, errors, onChange }: Props) {
  // Keys for new rows start past the loaded ones.
  const [nextKey, setNextKey] = useState(() => goals.length);
  const set = (key: number, changes: Partial<GoalDraft>) => onChange(goals.map((g) => (g.key === key ? { ...g, ...changes } : g)));
  const add = () => {
    onChange([...goals, { key: nextKey, id: '', name: '', description: '' }]);
    setNextKey((k) => k + 1);
  };

  return (
    <fieldset className="bot-fieldset">
      <legend>Goals</legend>
      <p className="field-hint">What a conversation should achieve. The id is a short code (letters, digits, - and _), unique in this bot.</p>
      {errors.goals && (
        <p className="field-error" data-testid="error-goals">
          {errors.goals}
        </p>
      )}
      {goals.length === 0 && <p className="muted">No goals: the bot answers questions and nothing more.</p>}
      {goals.map((g, i) => (
        <div key={g.key} className="bot-goal" role="group" aria-label={`Goal ${i + 1}`}>
          {errors[`goals.${i}`] && <p className="field-error">{errors[`goals.${i}`]}</p>}
          <div className="bot-row">
            <TextField label="Id" name={`goals.${i}.id`} autoComplete="off" value={g.id} onChange={(e) => set(g.key, { id: e.target.value })} error={errors[`goals.${i}.id`]} />
            <TextField label="Goal name" name={`goals.${i}.name`} autoComplete="off" value={g.name} onChange={(e) => set(g.key, { name: e.target.value })} error={errors[`goals.${i}.name`]} />
          </div>
          <div className="bot-row">
            <SelectField label="Reached when" name={`goals.${i}.kind`} value={g.kind ?? 'custom'} onChange={(e) => set(g.key, { kind: e.target.value as GoalKind })}>
              {Object.entries(KIND_LABELS).map(([kind, label]) => (
                <option key={kind} value={kind}>
                  {label}
                </option>
              ))}
            </SelectField>
            {g.kind === 'contact_field' && (
              <SelectField label="Field" name={`goals.${i}.field`} value={g.field ?? ''} onChange={(e) => set(g.key, { field: e.target.value })} error={errors[`goals.${i}.field`]}>
                <option value="">Choose…</option>
                {CONTACT_FIELDS.map((f) => (
                  <option key={f} value={f}>
                    {f}
                  </option>
                ))}
              </SelectField>
            )}
            {g.kind === 'tag_added' && <TextField label="Tag" name={`goals.${i}.tag`} autoComplete="off" value={g.tag ?? ''} onChange={(e) => set(g.key, { tag: e.target.value })} error={errors[`goals.${i}.tag`]} />}
          </div>
          <TextAreaField label="Description" name={`goals.${i}.description`} rows={2} value={g.description} onChange={(e) => set(g.key, { description: e.target.value })} error={errors[`goals.${i}.description`]} />
          <div className="actions">
            <button type="button" className="btn-danger-outline" aria-label={`Remove goal ${i + 1}`} onClick={() => onChange(goals.filter((x) => x.key !== g.key))}>
              Remove
            </button>
          </div>
        </div>
      ))}
      <p>
        <button type="button" onClick={add}>
          Add goal
        </button>
      </p>
    </fieldset>
  );
}
