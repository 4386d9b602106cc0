import { useState } from 'react';
import { removeMember, transferOwnership, updateMember } from '../api/members';
import type { AssignableRole, Member, Membership } from '../api/types';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorAlert } from '../components/Notices';
import { assignableRoles, may, roleLabel } from '../permissions';

interface Props {
  orgId: string;
  members: Member[];
  membership: Membership;
  onChanged: (members: Member[]) => void;
  onReload: () => void;
  onOwnRoleChanged: () => void;
}

const STATUS_LABELS: Record<Member['status'], string> = { active: 'Active', invited: 'Invited', suspended: 'Suspended' };

export function MembersTable({ orgId, members, membership, onChanged, onReload, onOwnRoleChanged }: Props) {
  const [error, setError] = useState<string>();
  const canUpdate = may(membership, 'members', 'update');
  const canDelete = may(membership, 'members', 'delete');
  const isOwner = membership.role === 'owner';
  const roles = assignableRoles(membership);
  const showActions = canUpdate || canDelete || isOwner;

  const change = async (member: Member, changes: { role?: AssignableRole; status?: 'active' | 'suspended' }) => {
    setError(undefined);
    try {
      const updated = await updateMember(orgId, member.id, changes);
      onChanged(members.map((m) => (m.id === updated.id ? updated : m)));
    } catch (e) {
      setError(`${nameOf(member)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  return (
    <>
      <ErrorAlert message={error} />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            {showActions && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {members.map((m) => {
            const self = m.id === membership.memberId;
            // The owner changes only by a transfer, and nobody edits their own access here.
            const locked = m.role === 'owner' || self;
            const who = nameOf(m);
            return (
              <tr key={m.id} data-testid={`member-row-${m.email ?? m.id}`}>
                <td>
                  {m.email ?? '—'}
                  {self && <span className="muted"> (you)</span>}
                </td>
                <td>{m.fullName ?? '—'}</td>
                <td data-testid="member-role">
                  {!locked && canUpdate && roles.includes(m.role as AssignableRole) ? (
                    <select aria-label={`Role of ${who}`} value={m.role} onChange={(e) => void change(m, { role: e.target.value as AssignableRole })}>
                      {roles.map((r) => (
                        <option key={r} value={r}>
                          {roleLabel(r)}
                        </option>
                      ))}
                    </select>
                  ) : (
                    roleLabel(m.role)
                  )}
                </td>
                <td>{STATUS_LABELS[m.status] ?? m.status}</td>
                {showActions && (
                  <td>
                    <div className="row-actions">
                      {!locked && canUpdate && (
                        <button type="button" aria-label={`${m.status === 'suspended' ? 'Reactivate' : 'Suspend'} ${who}`} onClick={() => void change(m, { status: m.status === 'suspended' ? 'active' : 'suspended' })}>
                          {m.status === 'suspended' ? 'Reactivate' : 'Suspend'}
                        </button>
                      )}
                      {!locked && canDelete && (
                        <ConfirmButton
                          label={`Remove ${who}`}
                          title="Remove member"
                          message={<p>{who} loses access to this organization at once.</p>}
                          confirmLabel="Remove"
                          className="btn-danger-outline"
                          onConfirm={async () => {
                            await removeMember(orgId, m.id);
                            onReload();
                          }}
                        >
                          Remove
                        </ConfirmButton>
                      )}
                      {isOwner && !self && m.status === 'active' && (
                        <ConfirmButton
                          label={`Transfer ownership to ${who}`}
                          title="Transfer ownership"
                          message={
                            <p>
                              {who} becomes the owner of this organization, with billing and every other right. You become an administrator. Only the new owner can
                              undo this.
                            </p>
                          }
                          confirmLabel="Transfer ownership"
                          onConfirm={async () => {
                            onChanged(await transferOwnership(orgId, m.id));
                            onOwnRoleChanged();
                          }}
                        >
                          Transfer ownership
                        </ConfirmButton>
                      )}
                    </div>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

function nameOf(m: Member): string {
  return m.email ?? m.fullName ?? 'this member';
}
