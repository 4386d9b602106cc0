import { useState } from 'react';
import { logOut } from '../api/auth';
import { acceptInvitation, acceptWithNewAccount, previewInvitation } from '../api/invitations';
import { ApiError } from '../api/problem';
import type { InvitationPreview } from '../api/types';
import { TextField } from '../components/Field';
import { ErrorAlert, Loading } from '../components/Notices';
import { useMe } from '../me';
import { roleLabel } from '../permissions';
import { Link, navigate } from '../router';
import { useLoad } from '../use-load';
import { useSubmit } from '../use-submit';
import { AuthLayout } from './AuthLayout';

/** `/invitations/:token`, the link an inviter shares: join with this account or a new one. */
export function InvitationPage({ token }: { token: string }) {
  const preview = useLoad((signal) => previewInvitation(token, signal), [token]);
  const { signedIn } = useMe();

  if (preview.error) {
    const gone = preview.error instanceof ApiError && preview.error.status === 404;
    return (
      <AuthLayout title="Invitation">
        <ErrorAlert message={gone ? 'This invitation is no longer valid: it was used, revoked or has expired. Ask for a new one.' : preview.error.message} />
        <p>
          <Link to="/">Go to the start page</Link>
        </p>
      </AuthLayout>
    );
  }
  const invitation = preview.data;
  if (!invitation) {
    return (
      <AuthLayout title="Invitation">
        <Loading what="the invitation" />
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title={`Join ${invitation.organizationName}`}>
      <dl className="facts">
        <dt>Organization</dt>
        <dd data-testid="invitation-organization">{invitation.organizationName}</dd>
        <dt>Role</dt>
        <dd data-testid="invitation-role">{roleLabel(invitation.role)}</dd>
        <dt>Invited email</dt>
        <dd data-testid="invitation-email">{invitation.email}</dd>
        <dt>Valid until</dt>
        <dd>{new Date(invitation.expiresAt).toLocaleString()}</dd>
      </dl>
      {signedIn ? <AcceptAsMe token={token} invitation={invitation} /> : <AcceptAsNewUser token={token} invitation={invitation} />}
    </AuthLayout>
  );
}

function AcceptAsMe({ token, invitation }: { token: string; invitation: InvitationPreview }) {
  const { me, reload } = useMe();
  const form = useSubmit([], async () => {
    const membership = await acceptInvitation(token);
    await reload();
    navigate(`/orgs/${membership.organizationId}/settings`, { replace: true });
  });
  const otherEmail = me && me.user.email.toLowerCase() !== invitation.email.toLowerCase();
  return (
    <form className="form" onSubmit={form.onSubmit}>
      <ErrorAlert message={form.error} />
      {me && (
        <p>
          You are signed in as <strong>{me.user.email}</strong>.
          {otherEmail && ' This invitation was sent to another address: log in with that one to accept it.'}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={() => void logOut()}>
          Use another account
        </button>
        <button type="submit" className="btn-primary" disabled={form.busy}>
          Accept
        </button>
      </div>
    </form>
  );
}

function AcceptAsNewUser({ token, invitation }: { token: string; invitation: InvitationPreview }) {
  const { reload } = useMe();
  const [fullName, setFullName] = useState('');
  const [password, setPassword] = useState('');
  const form = useSubmit(['fullName', 'password'], async () => {
    const membership = await acceptWithNewAccount(token, { fullName, password });
    await reload();
    navigate(`/orgs/${membership.organizationId}/settings`, { replace: true });
  });
  const here = `/invitations/${encodeURIComponent(token)}`;
  return (
    <>
      <p>
        Already have an account? <Link to={`/login?next=${encodeURIComponent(here)}`}>Log in to accept</Link>
      </p>
      <h2>Or create your account</h2>
      <form className="form" onSubmit={form.onSubmit} noValidate>
        <ErrorAlert message={form.error} />
        {/* The account is the invitation's address: the server takes it from the invitation. */}
        <TextField label="Email" name="email" type="email" value={invitation.email} readOnly />
        <TextField label="Full name" name="fullName" autoComplete="name" required value={fullName} onChange={(e) => setFullName(e.target.value)} error={form.fieldErrors.fullName} />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 10 characters."
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={form.fieldErrors.password}
        />
        <div className="actions">
          <button type="submit" className="btn-primary" disabled={form.busy}>
            Create account and join
          </button>
        </div>
      </form>
    </>
  );
}
