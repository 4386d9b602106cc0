/** @jest-environment jsdom */
import { screen, waitFor, within } from '@testing-library/react';
import type { TeamMember } from '../../../web/src/api/types';
import { TeamMembersPage } from '../../../web/src/org/TeamMembersPage';
import { membership, ORG_ID, TEAM } from '../commissions/fixtures';
import { mockApi, renderPage, setUpBrowser } from '../commissions/harness';

jest.mock('../../../web/src/components/components.css', () => ({}));

const TEAM_MEMBERS = `/orgs/${ORG_ID}/team-members`;
const DAY = 86_400_000;

const deleted = (id: string, fullName: string, untilMs: number): TeamMember => ({
  ...TEAM[0]!,
  id,
  fullName,
  externalId: `ghl-${id}`,
  deletedAt: new Date(untilMs - 30 * DAY).toISOString(),
  restorableUntil: new Date(untilMs).toISOString(),
});

beforeEach(() => setUpBrowser());

describe('the team’s trash', () => {
  it('deletes a member after a confirmation that says their history stays, and restores them from the Deleted view', async () => {
    let live = [...TEAM];
    let trash: TeamMember[] = [];
    const api = mockApi({
      [`GET /orgs/${ORG_ID}/members`]: () => ({ body: { items: [] } }),
      [`GET ${TEAM_MEMBERS}`]: (call) => ({ body: { items: call.query.get('deleted') === 'true' ? trash : live, nextCursor: null } }),
      [`DELETE ${TEAM_MEMBERS}/tm-bob`]: () => {
        trash = [{ ...live.find((m) => m.id === 'tm-bob')!, deletedAt: new Date().toISOString(), restorableUntil: new Date(Date.now() + 30 * DAY).toISOString() }];
        live = live.filter((m) => m.id !== 'tm-bob');
        return { status: 204 };
      },
      [`POST ${TEAM_MEMBERS}/tm-bob/restore`]: () => {
        live = [...TEAM];
        const restored = { ...trash[0]!, deletedAt: null, restorableUntil: null };
        trash = [];
        return { body: restored };
      },
    });
    const { user } = renderPage(<TeamMembersPage orgId={ORG_ID} membership={membership('administrator')} />);
    await user.click(await screen.findByRole('button', { name: 'Delete Bob Stone' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete team member' });
    expect(dialog.textContent).toContain('Their past sales, commissions and payouts keep their name');
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.queryByText('Bob Stone')).toBeNull());

    await user.click(screen.getByRole('button', { name: 'Deleted' }));
    const table = await screen.findByRole('table', { name: 'Deleted team members' });
    expect(api.to(`GET ${TEAM_MEMBERS}`).at(-1)!.query.get('deleted')).toBe('true');
    const row = within(table).getByText('Bob Stone').closest('tr')!;
    expect([...row.querySelectorAll('time')].map((t) => t.getAttribute('datetime'))).toEqual([trash[0]!.deletedAt, trash[0]!.restorableUntil]);

    await user.click(within(row).getByRole('button', { name: 'Restore Bob Stone' }));
    expect(await screen.findByText('Bob Stone is back on the team')).toBeTruthy();
    expect(api.to(`POST ${TEAM_MEMBERS}/tm-bob/restore`)).toHaveLength(1);
    expect(await screen.findByText('No deleted team members.')).toBeTruthy();
  });

  it('shows why a restore is refused, and offers none past the trash period', async () => {
    const trash = [deleted('tm-old', 'Olga Old', Date.now() - DAY), deleted('tm-taken', 'Tess Taken', Date.now() + 5 * DAY)];
    mockApi({
      [`GET /orgs/${ORG_ID}/members`]: () => ({ body: { items: [] } }),
      [`GET ${TEAM_MEMBERS}`]: (call) => ({ body: { items: call.query.get('deleted') === 'true' ? trash : TEAM, nextCursor: null } }),
      [`POST ${TEAM_MEMBERS}/tm-taken/restore`]: () => ({
        status: 409,
        headers: { 'content-type': 'application/problem+json' },
        body: { type: 'about:blank', title: 'Conflict', status: 409, detail: 'Ada Lovelace now has this GHL user id (ghl-tm-taken): change or delete them first' },
      }),
    });
    const { user } = renderPage(<TeamMembersPage orgId={ORG_ID} membership={membership('administrator')} />);
    await user.click(await screen.findByRole('button', { name: 'Deleted' }));
    const table = await screen.findByRole('table', { name: 'Deleted team members' });
    const old = within(table).getByText('Olga Old').closest('tr')!;
    expect(within(old).queryByRole('button')).toBeNull();
    expect(old.textContent).toContain('Past the trash period');

    await user.click(within(table).getByRole('button', { name: 'Restore Tess Taken' }));
    expect(await screen.findByText(/now has this GHL user id/)).toBeTruthy();
  });

  it('lists the trash without restore actions for a member who may not delete team members', async () => {
    mockApi({ [`GET ${TEAM_MEMBERS}`]: (call) => ({ body: { items: call.query.get('deleted') === 'true' ? [deleted('tm-x', 'Xena Gone', Date.now() + DAY)] : TEAM, nextCursor: null } }) });
    const { user } = renderPage(<TeamMembersPage orgId={ORG_ID} membership={membership('sales')} />);
    await user.click(await screen.findByRole('button', { name: 'Deleted' }));
    const table = await screen.findByRole('table', { name: 'Deleted team members' });
    expect(within(table).getByText('Xena Gone')).toBeTruthy();
    expect(within(table).queryByRole('button')).toBeNull();
  });
});
