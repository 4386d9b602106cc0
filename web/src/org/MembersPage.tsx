import { listInvitations, listMembers } from '../api/members';
import { ErrorAlert, Loading } from '../components/Notices';
import { useMe } from '../me';
import { may } from '../permissions';
import { useLoad } from '../use-load';
import { InvitationsList } from './InvitationsList';
import { InviteForm } from './InviteForm';
import { MembersTable } from './MembersTable';
import type { OrgPageProps } from './OrgLayout';

export function MembersPage({ orgId, membership }: OrgPageProps) {
  const { reload: reloadMe } = useMe();
  const members = useLoad((signal) => listMembers(orgId, signal), [orgId]);
  const invitations = useLoad((signal) => listInvitations(orgId, signal), [orgId]);

  return (
    <>
      <h1>Members</h1>
      <section className="panel" aria-labelledby="members-heading">
        <h2 id="members-heading">People with access</h2>
        {members.data ? (
          <MembersTable
            orgId={orgId}
            members={members.data}
            membership={membership}
            onChanged={members.setData}
            onReload={members.reload}
            // An ownership transfer changes the caller's own role.
            onOwnRoleChanged={() => void reloadMe()}
          />
        ) : members.error ? (
          <ErrorAlert message={members.error.message} />
        ) : (
          <Loading what="members" />
        )}
      </section>
      {may(membership, 'members', 'create') && (
        <InviteForm orgId={orgId} membership={membership} onInvited={invitations.reload} />
      )}
      <section className="panel" aria-labelledby="invitations-heading">
        <h2 id="invitations-heading">Pending invitations</h2>
        {invitations.data ? (
          <InvitationsList orgId={orgId} invitations={invitations.data} canRevoke={may(membership, 'members', 'delete')} onRevoked={invitations.reload} />
        ) : invitations.error ? (
          <ErrorAlert message={invitations.error.message} />
        ) : (
          <Loading what="invitations" />
        )}
      </section>
    </>
  );
}
