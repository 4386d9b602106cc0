import { useState } from 'react';
import { restoreTeamMember } from '../api/team-members';
import type { TeamMember } from '../api/types';
import { useToast } from '../components/Toasts';
import { stillRestorable } from '../components/trash';
import { formatTime } from '../executions/format';

interface Props {
  orgId: string;
  items: TeamMember[];
  canRestore: boolean;
  onRestored: () => void;
}

/** Deleted team members with their restore deadline; past it, the retention job removes them. */
export function TeamTrashTable({ orgId, items, canRestore, onRestored }: Props) {
  return (
    <table className="table" aria-label="Deleted team members">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Email</th>
          <th scope="col">GHL user id</th>
          <th scope="col">Deleted</th>
          <th scope="col">Restorable until</th>
          {canRestore && <th scope="col">Actions</th>}
        </tr>
      </thead>
      <tbody>
        {items.map((t) => (
          <tr key={t.id}>
            <td>{t.fullName}</td>
            <td>{t.email ?? '—'}</td>
            <td>{t.externalId ?? '—'}</td>
            <td>{t.deletedAt ? <time dateTime={t.deletedAt}>{formatTime(t.deletedAt)}</time> : '—'}</td>
            <td>{t.restorableUntil ? <time dateTime={t.restorableUntil}>{formatTime(t.restorableUntil)}</time> : '—'}</td>
            {canRestore && (
              <td>{stillRestorable(t.restorableUntil) ? <RestoreButton orgId={orgId} member={t} onRestored={onRestored} /> : <span className="muted">Past the trash period</span>}</td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Restores one member; a refusal (their GHL user id taken meanwhile, the window closed) shows the server's reason. */
function RestoreButton({ orgId, member, onRestored }: { orgId: string; member: TeamMember; onRestored: () => void }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const restore = async () => {
    setBusy(true);
    try {
      await restoreTeamMember(orgId, member.id);
      toast.success(`${member.fullName} is back on the team`);
      onRestored();
    } catch (e) {
      toast.error(e, `Could not restore ${member.fullName}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" aria-label={`Restore ${member.fullName}`} disabled={busy} onClick={() => void restore()}>
      Restore
    </button>
  );
}
