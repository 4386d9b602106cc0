import { useState } from 'react';
import { getRetention, type RetentionSettings, type RetentionView, updateRetention } from '../api/data-retention';
import { TextField } from '../components/Field';
import { ErrorAlert, Loading } from '../components/Notices';
import { useLoad } from '../use-load';
import { InputError, useSubmit } from '../use-submit';

type DayKey = Exclude<keyof RetentionSettings, 'archiveBeforeDelete'>;

const DAY_FIELDS: { key: DayKey; label: string; hint: string }[] = [
  { key: 'executionRetentionDays', label: 'Workflow runs', hint: 'Finished runs with their steps. Running and waiting runs are never removed.' },
  { key: 'conversationRetentionDays', label: 'Bot conversations', hint: 'Closed conversations with their messages.' },
  { key: 'auditRetentionDays', label: 'Audit log', hint: 'Who changed what.' },
  { key: 'trashRetentionDays', label: 'Deleted items', hint: 'Deleted workflows, bots, contacts, team members and receipts can be restored for this long.' },
  { key: 'webhookEventRetentionDays', label: 'GoHighLevel webhook deliveries', hint: 'Kept to recognise a delivery sent twice.' },
];

type Draft = Record<DayKey, string> & { archiveBeforeDelete: boolean };

const draftOf = (view: RetentionSettings): Draft => ({
  ...(Object.fromEntries(DAY_FIELDS.map(({ key }) => [key, String(view[key])])) as Record<DayKey, string>),
  archiveBeforeDelete: view.archiveBeforeDelete,
});

/** Whole days from 1 to 3650, as the API accepts; the message otherwise. */
function parseDays(value: string): number | string {
  if (!/^\d+$/.test(value.trim())) return 'Enter a whole number of days.';
  const days = Number(value.trim());
  if (days < 1 || days > 3650) return 'Between 1 and 3650 days.';
  return days;
}

export function RetentionSection({ orgId, canEdit }: { orgId: string; canEdit: boolean }) {
  const loaded = useLoad((signal) => getRetention(orgId, signal), [orgId]);
  if (!loaded.data) return loaded.error ? <ErrorAlert message={loaded.error.message} /> : <Loading what="retention settings" />;
  return <RetentionForm orgId={orgId} view={loaded.data} canEdit={canEdit} onSaved={loaded.setData} />;
}

function RetentionForm({ orgId, view, canEdit, onSaved }: { orgId: string; view: RetentionView; canEdit: boolean; onSaved: (v: RetentionView) => void }) {
  const [draft, setDraft] = useState<Draft>(draftOf(view));
  const [saved, setSaved] = useState(false);
  const initial = draftOf(view);
  const dirty = JSON.stringify(draft) !== JSON.stringify(initial);

  const form = useSubmit([...DAY_FIELDS.map((f) => f.key), 'archiveBeforeDelete'], async () => {
    setSaved(false);
    const changes: Partial<RetentionSettings> = {};
    const errors: Record<string, string> = {};
    for (const { key } of DAY_FIELDS) {
      if (draft[key] === initial[key]) continue;
      const days = parseDays(draft[key]);
      if (typeof days === 'string') errors[key] = days;
      else changes[key] = days;
    }
    if (Object.keys(errors).length > 0) throw new InputError(errors);
    if (draft.archiveBeforeDelete !== initial.archiveBeforeDelete) changes.archiveBeforeDelete = draft.archiveBeforeDelete;
    const updated = await updateRetention(orgId, changes);
    setDraft(draftOf(updated));
    onSaved(updated);
    setSaved(true);
  });

  return (
    <form className="form panel" onSubmit={form.onSubmit} noValidate aria-labelledby="retention-heading">
      <h2 id="retention-heading">Data retention</h2>
      <p className="muted">A daily job removes what is older than this, in days (the defaults apply until you change them).</p>
      <ErrorAlert message={form.error} />
      {DAY_FIELDS.map(({ key, label, hint }) => (
        <TextField
          key={key}
          label={label}
          name={key}
          inputMode="numeric"
          value={draft[key]}
          readOnly={!canEdit}
          onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
          error={form.fieldErrors[key]}
          hint={`${hint} Default ${view.defaults[key]} days.`}
        />
      ))}
      <label className="checkbox-field">
        <input
          type="checkbox"
          name="archiveBeforeDelete"
          checked={draft.archiveBeforeDelete}
          disabled={!canEdit}
          onChange={(e) => setDraft({ ...draft, archiveBeforeDelete: e.target.checked })}
        />{' '}
        Archive before removing (JSON lines in the platform's archive storage)
      </label>
      {canEdit && (
        <div className="actions">
          {saved && !dirty && (
            <span role="status" className="muted">
              Saved
            </span>
          )}
          <button type="submit" className="btn-primary" disabled={form.busy || !dirty}>
            Save retention
          </button>
        </div>
      )}
    </form>
  );
}
