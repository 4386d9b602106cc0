import { useState } from 'react';
import { inviteMember } from '../api/members';
import type { AssignableRole, Membership } from '../api/types';
import { CopyButton } from '../components/CopyButton';
import { SelectField, TextField } from '../components/Field';
import { ErrorAlert } from '../components/Notices';
import { assignableRoles, roleLabel } from '../permissions';
import { useSubmit } from '../use-submit';

/**
 * Invites by email. The platform sends no mail: the answer carries the accept link, which the
 * inviter passes on themselves.
 */
export function InviteForm({ orgId, membership, onInvited }: { orgId: string; membership: Membership; onInvited: () => void }) {
  const roles = assignableRoles(membership);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<AssignableRole>('viewer');
  const [sent, setSent] = useState<{ email: string; link: string }>();
  const form = useSubmit(['email', 'role'], async () => {
    setSent(undefined);
    const { invitation, acceptUrl } = await inviteMember(orgId, email, role);
    setSent({ email: invitation.email, link: new URL(acceptUrl, location.origin).href });
    setEmail('');
    onInvited();
  });

  return (
    <section className="panel" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite someone</h2>
      <form className="form form-inline" onSubmit={form.onSubmit} noValidate>
        <ErrorAlert message={form.error} />
        <TextField label="Email" name="email" type="email" autoComplete="off" required value={email} onChange={(e) => setEmail(e.target.value)} error={form.fieldErrors.email} />
        <SelectField label="Role" name="role" value={role} onChange={(e) => setRole(e.target.value as AssignableRole)} error={form.fieldErrors.role}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {roleLabel(r)}
            </option>
          ))}
        </SelectField>
        <div className="actions">
          <button type="submit" className="btn-primary" disabled={form.busy}>
            Invite
          </button>
        </div>
      </form>
      {sent && (
        <div className="invite-link" role="status">
          <p>
            Invitation created for <strong>{sent.email}</strong>. Send them this link; it is valid for 7 days and works once.
          </p>
          <div className="copy-row">
            <input aria-label="Accept link" data-testid="accept-link" readOnly value={sent.link} onFocus={(e) => e.target.select()} />
            <CopyButton text={sent.link} />
          </div>
        </div>
      )}
    </section>
  );
}
