/** @jest-environment jsdom */
import { screen, waitFor, within } from '@testing-library/react';
import { CommissionsInboxPage } from '../../../web/src/commissions/CommissionsInboxPage';
import { calculation, membership, ORG_ID } from './fixtures';
import { mockApi, renderPage, setUpBrowser } from './harness';

jest.mock('../../../web/src/components/components.css', () => ({}));
jest.mock('../../../web/src/commissions/commissions.css', () => ({}));

const LIST = `GET /orgs/${ORG_ID}/commissions`;
const BULK = `POST /orgs/${ORG_ID}/commissions/approve`;
const PENDING = [
  calculation('c1', { amountMinor: 10050 }),
  calculation('c2', { amountMinor: 4950, teamMemberId: 'tm-bob', teamMemberName: 'Bob Stone' }),
  calculation('c3', { amountMinor: 2000, currency: 'EUR', sale: { ...calculation('x').sale!, currency: 'EUR', amountMinor: 20000 } }),
  calculation('c4', { status: 'held', heldReason: 'no plan rule applies', amountMinor: 0 }),
  // The signed-in manager's own: the API refuses it, so it is not offered.
  calculation('c5', { teamMemberId: 'tm-me', teamMemberName: 'Morgan Manager' }),
];

const row = (id: string) => screen.getByTestId(`calculation-${id}`);

beforeEach(setUpBrowser);

describe('the commissions inbox', () => {
  it('lists pending and held commissions with member, sale, commission, plan and reminders', async () => {
    const api = mockApi({
      [LIST]: () => ({ body: { items: [calculation('c1', { notifications: [{ kind: 'reminder', createdAt: '2026-03-03T10:00:00Z' }, { kind: 'escalation', createdAt: '2026-03-04T10:00:00Z' }] }), PENDING[3]], nextCursor: null } }),
    });
    const { user } = renderPage(<CommissionsInboxPage orgId={ORG_ID} membership={membership('administrator')} />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Commissions' })).toBeTruthy();
    await screen.findByTestId('calculation-c1');
    expect(api.to(LIST)[0]!.query.get('status')).toBe('pending,held');

    const first = within(row('c1'));
    expect(first.getByText('Ada Lovelace')).toBeTruthy();
    expect(first.getByText('1000.00 USD')).toBeTruthy();
    expect(first.getByText('100.00 USD')).toBeTruthy();
    expect(first.getByText('Standard')).toBeTruthy();
    expect(first.getByText(/^Reminder/)).toBeTruthy();
    expect(first.getByText(/^Escalated/)).toBeTruthy();
    expect(within(row('c4')).getByText('no plan rule applies')).toBeTruthy();
    // A held commission waits for a fix, not a decision.
    expect(within(row('c4')).queryByRole('button', { name: 'Approve' })).toBeNull();

    await user.click(first.getByRole('button', { name: 'Show trace' }));
    const trace = screen.getByRole('table', { name: 'Rule trace for Ada Lovelace' });
    expect(within(trace).getByText('10% of 1000.00 USD')).toBeTruthy();
    await user.click(first.getByRole('button', { name: 'Hide trace' }));
    expect(screen.queryByRole('table', { name: 'Rule trace for Ada Lovelace' })).toBeNull();

    await user.selectOptions(screen.getByLabelText('Team member'), 'tm-bob');
    await waitFor(() => expect(api.to(LIST).at(-1)!.query.get('teamMemberId')).toBe('tm-bob'));
  });

  it('approves the selected commissions in one call after showing their count and totals per currency', async () => {
    const api = mockApi({
      [LIST]: () => ({ body: { items: PENDING, nextCursor: null } }),
      [BULK]: (call) => ({
        body: {
          results: (call.body as { ids: string[] }).ids.map((id) =>
            id === 'c2'
              ? { id, ok: false, problem: { status: 409, title: 'Already decided', detail: 'This commission was rejected a moment ago.' } }
              : { id, ok: true, calculation: { ...PENDING.find((c) => c.id === id)!, status: 'approved' } },
          ),
        },
      }),
    });
    const { user } = renderPage(<CommissionsInboxPage orgId={ORG_ID} membership={membership('administrator')} />);
    await screen.findByTestId('calculation-c1');
    // Neither the held one nor the manager's own can be ticked.
    expect(within(row('c4')).queryByRole('checkbox')).toBeNull();
    await waitFor(() => expect(within(row('c5')).queryByRole('checkbox')).toBeNull());
    expect(within(row('c5')).getByText(/Your own/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Approve selected' }) as HTMLButtonElement).disabled).toBe(true);

    await user.click(within(row('c1')).getByRole('checkbox'));
    await user.click(within(row('c2')).getByRole('checkbox'));
    await user.click(within(row('c3')).getByRole('checkbox'));
    await user.click(screen.getByRole('button', { name: 'Approve selected' }));

    const dialog = screen.getByRole('dialog', { name: 'Approve 3 commissions' });
    const totals = within(within(dialog).getByRole('list', { name: 'Totals by currency' })).getAllByRole('listitem');
    expect(totals.map((t) => t.textContent)).toEqual(['20.00 EUR (1 commission)', '150.00 USD (2 commissions)']);
    expect(api.to(BULK)).toHaveLength(0);

    await user.type(within(dialog).getByLabelText('Comment (optional)'), 'March batch');
    await user.click(within(dialog).getByRole('button', { name: 'Confirm approval' }));

    await waitFor(() => expect(api.to(BULK)).toHaveLength(1));
    expect(api.to(BULK)[0]!.body).toEqual({ ids: ['c1', 'c2', 'c3'], comment: 'March batch' });
    // The one that failed is named in an error toast, with the server's reason.
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('1 not approved');
    expect(alert.textContent).toContain('Bob Stone, 49.50 USD: Already decided: This commission was rejected a moment ago.');
    expect(row('c1').dataset.status).toBe('approved');
    expect(row('c3').dataset.status).toBe('approved');
    expect(row('c2').dataset.status).toBe('pending');
    // What failed stays selected to try again; what passed leaves the selection.
    expect((within(row('c2')).getByRole('checkbox') as HTMLInputElement).checked).toBe(true);
    expect(screen.getByText(/^1 selected/)).toBeTruthy();
  });

  it('approves one commission and rejects another only with a reason', async () => {
    const api = mockApi({
      [LIST]: () => ({ body: { items: PENDING.slice(0, 2), nextCursor: null } }),
      [`POST /orgs/${ORG_ID}/commissions/c1/approve`]: () => ({ body: { ...PENDING[0], status: 'approved' } }),
      [`POST /orgs/${ORG_ID}/commissions/c2/reject`]: (call) => ({ body: { ...PENDING[1], status: 'rejected', comment: (call.body as { comment: string }).comment } }),
    });
    const { user } = renderPage(<CommissionsInboxPage orgId={ORG_ID} membership={membership('administrator')} />);
    await screen.findByTestId('calculation-c1');

    await user.click(within(row('c1')).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(row('c1').dataset.status).toBe('approved'));
    expect(api.to(`POST /orgs/${ORG_ID}/commissions/c1/approve`)).toHaveLength(1);

    await user.click(within(row('c2')).getByRole('button', { name: 'Reject' }));
    const dialog = screen.getByRole('dialog', { name: 'Reject commission' });
    await user.click(within(dialog).getByRole('button', { name: 'Reject commission' }));
    expect(within(dialog).getByText('Say why: the team member will read it.')).toBeTruthy();
    expect(api.to(`POST /orgs/${ORG_ID}/commissions/c2/reject`)).toHaveLength(0);

    await user.type(within(dialog).getByLabelText('Reason for rejecting'), 'Duplicate of INV-7');
    await user.click(within(dialog).getByRole('button', { name: 'Reject commission' }));
    await waitFor(() => expect(row('c2').dataset.status).toBe('rejected'));
    expect(api.to(`POST /orgs/${ORG_ID}/commissions/c2/reject`)[0]!.body).toEqual({ comment: 'Duplicate of INV-7' });
  });

  it('is read-only for members who may not approve', async () => {
    mockApi({ [LIST]: () => ({ body: { items: PENDING, nextCursor: null } }) });
    renderPage(<CommissionsInboxPage orgId={ORG_ID} membership={membership('sales')} />);
    await screen.findByTestId('calculation-c1');
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Reject' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Approve selected' })).toBeNull();
    expect(screen.queryAllByRole('checkbox')).toHaveLength(0);
    // The trace is for everyone.
    expect(within(row('c1')).getByRole('button', { name: 'Show trace' })).toBeTruthy();
  });
});
