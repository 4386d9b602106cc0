import { useEffect, useState } from 'react';
import { listMembers } from '../api/members';
import { deleteTeamMember, listTeamMembers } from '../api/team-members';
import type { TeamMember } from '../api/types';
import { bpsToPercent } from '../commission-rate';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorAlert, Loading } from '../components/Notices';
import { may } from '../permissions';
import { useLoad } from '../use-load';
import { usePaged } from '../use-paged';
import type { OrgPageProps } from './OrgLayout';
import { MEMBER_TYPES, TeamMemberForm } from './TeamMemberForm';
import { LoadMore } from '../components/LoadMore';
import { TeamTrashTable } from './TeamTrash';

const PAGE_SIZE = 25;
// Search as the user types, once they pause.
const SEARCH_DELAY_MS = 300;

export function TeamMembersPage({ orgId, membership }: OrgPageProps) {
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<TeamMember | 'new'>();
  // The trash: deleted members, restorable until their window ends.
  const [trash, setTrash] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setSearch(q.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [q]);

  const list = usePaged((cursor, signal) => listTeamMembers(orgId, { q: search, deleted: trash, cursor, limit: PAGE_SIZE }, signal), [orgId, search, trash]);
  // Logins to link a team member to; only who may see the members gets the choice.
  const canSeeMembers = may(membership, 'members', 'read');
  const members = useLoad((signal) => (canSeeMembers ? listMembers(orgId, signal) : Promise.resolve(undefined)), [orgId, canSeeMembers]);
  const emailOfUser = (userId: string | null) => (userId ? (members.data?.find((m) => m.userId === userId)?.email ?? 'linked') : '—');
  const canCreate = may(membership, 'team_members', 'create');
  const canUpdate = may(membership, 'team_members', 'update');
  const canDelete = may(membership, 'team_members', 'delete');

  return (
    <>
      <h1>Team</h1>
      <p className="muted">Sales reps and staff as they appear in GoHighLevel, with their commission terms.</p>
      {editing ? (
        <TeamMemberForm
          key={editing === 'new' ? 'new' : editing.id}
          orgId={orgId}
          teamMember={editing === 'new' ? undefined : editing}
          members={members.data}
          onSaved={() => {
            setEditing(undefined);
            list.reload();
          }}
          onCancel={() => setEditing(undefined)}
        />
      ) : (
        canCreate && (
          <p>
            <button type="button" className="btn-primary" onClick={() => setEditing('new')}>
              Add team member
            </button>
          </p>
        )
      )}
      <nav className="view-tabs" aria-label="Team views">
        <button type="button" aria-pressed={!trash} onClick={() => setTrash(false)}>
          Team
        </button>
        <button type="button" aria-pressed={trash} onClick={() => setTrash(true)}>
          Deleted
        </button>
      </nav>
      <section className="panel" aria-label={trash ? 'Deleted team members' : 'Team members'}>
        {trash && <p className="muted">Deleted members keep their name on past sales, commissions and payouts, and can be restored until the date shown.</p>}
        <div className="field field-search">
          <label htmlFor="team-search">Search</label>
          <input id="team-search" type="search" placeholder="Name, email or GHL user id" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        <ErrorAlert message={list.error?.message} />
        {list.items.length === 0 ? (
          list.loading ? (
            <Loading what="the team" />
          ) : (
            <p className="muted">{search ? `Nobody matches “${search}”.` : trash ? 'No deleted team members.' : 'No team members yet.'}</p>
          )
        ) : trash ? (
          <TeamTrashTable orgId={orgId} items={list.items} canRestore={canDelete} onRestored={list.reload} />
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">GHL user id</th>
                <th scope="col">Type</th>
                <th scope="col">Commission</th>
                <th scope="col">Login</th>
                {(canUpdate || canDelete) && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {list.items.map((t) => (
                <tr key={t.id}>
                  <td>{t.fullName}</td>
                  <td>{t.email ?? '—'}</td>
                  <td>{t.externalId ?? '—'}</td>
                  <td>{MEMBER_TYPES.find((m) => m.value === t.memberType)?.label ?? t.memberType}</td>
                  <td>{commissionText(t)}</td>
                  <td>{emailOfUser(t.userId)}</td>
                  {(canUpdate || canDelete) && (
                    <td>
                      <div className="row-actions">
                        {canUpdate && (
                          <button type="button" aria-label={`Edit ${t.fullName}`} onClick={() => setEditing(t)}>
                            Edit
                          </button>
                        )}
                        {canDelete && (
                          <ConfirmButton
                            label={`Delete ${t.fullName}`}
                            title="Delete team member"
                            message={
                              <p>
                                {t.fullName} leaves the team: no new sales, plans or commissions. Their past sales, commissions and payouts keep their name.
                                You can restore them from Deleted within the organization’s trash period.
                              </p>
                            }
                            confirmLabel="Delete"
                            className="btn-danger-outline"
                            onConfirm={async () => {
                              await deleteTeamMember(orgId, t.id);
                              if (editing !== 'new' && editing?.id === t.id) setEditing(undefined);
                              list.reload();
                            }}
                          >
                            Delete
                          </ConfirmButton>
                        )}
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <LoadMore list={list} />
      </section>
    </>
  );
}

function commissionText(t: TeamMember): string {
  if (t.commissionRateBps === null) return '—';
  return `${bpsToPercent(t.commissionRateBps)} %${t.commissionType ? ` (${t.commissionType})` : ''}`;
}
