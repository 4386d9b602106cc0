/*
 * What the workflow and bot pages share about the trash: how long deleted things stay
 * restorable (the organization's trashRetentionDays), the "Active / Deleted" switch, and the
 * dates each deleted row shows.
 */
import { getOrganization } from '../api/orgs';
import { useLoad } from '../use-load';
import './components.css';

export const DEFAULT_TRASH_RETENTION_DAYS = 30;

/**
 * The organization's trashRetentionDays, read as the database reads it
 * (app.trash_retention_days): a number from 1 to 3650, whole days; anything else is the default.
 */
export function trashRetentionDays(settings: Record<string, unknown> | undefined): number {
  const value = settings?.trashRetentionDays;
  return typeof value === 'number' && value >= 1 && value <= 3650 ? Math.floor(value) : DEFAULT_TRASH_RETENTION_DAYS;
}

/** The organization's trash retention in days; undefined until known (or when the organization cannot be read). */
export function useTrashRetentionDays(orgId: string): number | undefined {
  const org = useLoad((signal) => getOrganization(orgId, signal), [orgId]);
  return org.data ? trashRetentionDays(org.data.settings) : undefined;
}

/** "It can be restored from Deleted for 30 days." (the period named generically until it is known). */
export function restorableFor(days: number | undefined, what = 'It'): string {
  const period = days === undefined ? 'for the trash retention period' : `for ${days} day${days === 1 ? '' : 's'}`;
  return `${what} can be restored from Deleted ${period}.`;
}

/** Whether a deleted row may still be restored now. */
export const stillRestorable = (restorableUntil: string | null, now = Date.now()) => restorableUntil !== null && Date.parse(restorableUntil) > now;

export const when = (iso: string) => new Date(iso).toLocaleString();

export type TrashView = 'active' | 'deleted';

/** The "Active / Deleted" switch above a list. */
export function TrashTabs({ label, view, onChange }: { label: string; view: TrashView; onChange: (view: TrashView) => void }) {
  return (
    <div role="tablist" aria-label={label} className="trash-tabs">
      {(['active', 'deleted'] as const).map((v) => (
        <button key={v} type="button" role="tab" aria-selected={view === v} className={view === v ? 'trash-tab trash-tab-current' : 'trash-tab'} onClick={() => onChange(v)}>
          {v === 'active' ? 'Active' : 'Deleted'}
        </button>
      ))}
    </div>
  );
}

/** A deleted row's action cell: Restore while the window lasts, a note after it; nothing for those who may not restore. */
export function RestoreCell({ name, restorableUntil, canRestore, onRestore }: { name: string; restorableUntil: string | null; canRestore: boolean; onRestore: () => void }) {
  if (!canRestore) return null;
  return stillRestorable(restorableUntil) ? (
    <button type="button" aria-label={`Restore ${name}`} onClick={onRestore}>
      Restore
    </button>
  ) : (
    <span className="muted">Past the retention period</span>
  );
}
