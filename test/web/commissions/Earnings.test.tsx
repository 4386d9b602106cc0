/** @jest-environment jsdom */
import { screen, waitFor, within } from '@testing-library/react';
import { EarningsPage } from '../../../web/src/commissions/EarningsPage';
import { calculation, membership, ORG_ID, payout } from './fixtures';
import { mockApi, renderPage, setUpBrowser } from './harness';

jest.mock('../../../web/src/components/components.css', () => ({}));
jest.mock('../../../web/src/commissions/commissions.css', () => ({}));

const SUMMARY = `GET /orgs/${ORG_ID}/commissions/summary`;

beforeEach(setUpBrowser);

describe('my earnings', () => {
  it('shows the signed-in member’s months, commissions and payouts', async () => {
    const api = mockApi({
      [SUMMARY]: () => ({
        body: {
          currency: 'USD',
          periods: [
            { period: '2026-02', pendingMinor: 0, approvedMinor: 0, paidMinor: 125000, clawedBackMinor: -2500 },
            { period: '2026-03', pendingMinor: 10050, approvedMinor: 4950, paidMinor: 0, clawedBackMinor: 0 },
          ],
        },
      }),
      [`GET /orgs/${ORG_ID}/commissions`]: () => ({ body: { items: [calculation('c1', { teamMemberId: 'tm-me', teamMemberName: 'Morgan Manager' })], nextCursor: null } }),
      [`GET /orgs/${ORG_ID}/payouts`]: () => ({ body: { items: [payout('paid')], nextCursor: null } }),
    });
    renderPage(<EarningsPage orgId={ORG_ID} membership={membership('administrator')} />);
    expect(await screen.findByRole('heading', { level: 1, name: 'My earnings' })).toBeTruthy();
    // The signed-in user's own team member, by default.
    await waitFor(() => expect(api.to(SUMMARY)).toHaveLength(1));
    expect(Object.fromEntries(api.to(SUMMARY)[0]!.query)).toEqual({ teamMemberId: 'tm-me', months: '12' });
    expect((screen.getByLabelText('Team member') as HTMLSelectElement).value).toBe('tm-me');

    const months = await screen.findByRole('table', { name: 'Commissions by month' });
    const rows = within(months).getAllByRole('row').slice(1).map((r) => [...r.children].map((c) => c.textContent));
    expect(rows).toEqual([
      [expect.stringMatching(/2026/), '0.00 USD', '0.00 USD', '1250.00 USD', '-25.00 USD'],
      [expect.stringMatching(/2026/), '100.50 USD', '49.50 USD', '0.00 USD', '0.00 USD'],
    ]);
    expect(await screen.findByRole('img', { name: /Commissions per month in USD/ })).toBeTruthy();
    expect(within(await screen.findByRole('table', { name: 'Recent commissions' })).getByText('100.00 USD')).toBeTruthy();
    const payouts = await screen.findByRole('table', { name: 'Payouts' });
    expect(within(payouts).getByRole('link', { name: '2026-03-01 – 2026-03-31' }).getAttribute('href')).toBe(`/orgs/${ORG_ID}/earnings/p1`);
  });

  it('says so when there is nothing yet', async () => {
    mockApi({
      [SUMMARY]: () => ({ body: { currency: null, periods: [] } }),
      [`GET /orgs/${ORG_ID}/commissions`]: () => ({ body: { items: [], nextCursor: null } }),
      [`GET /orgs/${ORG_ID}/payouts`]: () => ({ body: { items: [], nextCursor: null } }),
    });
    renderPage(<EarningsPage orgId={ORG_ID} membership={membership('sales')} />);
    expect(await screen.findByText('No commissions yet')).toBeTruthy();
    // A rep does not pick among members: the API shows them their own rows.
    expect(screen.queryByLabelText('Team member')).toBeNull();
  });
});
