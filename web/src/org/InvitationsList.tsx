import { revokeInvitation } from '../api/members';
import type { Invitation } from '../api/types';
import { ConfirmButton } from '../components/ConfirmButton';
import { roleLabel } from '../permissions';

export function InvitationsList(props: { orgId: string; invitations: Invitation[]; canRevoke: boolean; onRevoked: () => void }) {
  if (props.invitations.length === 0) return <p className="muted">No pending invitations.</p>;
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Email</th>
          <th scope="col">Role</th>
          <th scope="col">Expires</th>
          {props.canRevoke && <th scope="col">Actions</th>}
        </tr>
      </thead>
      <tbody>
        {props.invitations.map((inv) => (
          <tr key={inv.id}>
            <td>{inv.email}</td>
            <td>{roleLabel(inv.role)}</td>
            <td>{new Date(inv.expiresAt).toLocaleDateString()}</td>
            {props.canRevoke && (
              <td>
                <ConfirmButton
                  label={`Revoke invitation for ${inv.email}`}
                  title="Revoke invitation"
                  message={<p>The link sent to {inv.email} will stop working.</p>}
                  confirmLabel="Revoke"
                  onConfirm={async () => {
                    await revokeInvitation(props.orgId, inv.id);
                    props.onRevoked();
                  }}
                >
                  Revoke
                </ConfirmButton>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
