/** @jest-environment jsdom */
import { screen, waitFor, within } from '@testing-library/react';
import type { Payout } from '../../../web/src/api/commissions';
import { PayoutDetailPage } from '../../../web/src/commissions/PayoutDetailPage';
import type { Role } from '../../../db/rbac/matrix';
import { membership, ORG_ID, payout } from './fixtures';
import { mockApi, renderPage, setUpBrowser } from './harness';

jest.mock('../../../web/src/components/components.css', () => ({}));
jest.mock('../../../web/src/commissions/commissions.css', () => ({}));

const PAYOUT = `GET /orgs/${ORG_ID}/payouts/p1`;
const BACK = { to: `/orgs/${ORG_ID}/payouts`, label: 'Payouts' };

beforeEach(setUpBrowser);
afterEach(() => jest.restoreAllMocks());

async function open(status: Payout['status'], role: Role = 'administrator', routes = {}) {
  const api = mockApi({ [PAYOUT]: () => ({ body: payout(status) }), ...routes });
  const page = renderPage(<PayoutDetailPage orgId={ORG_ID} membership={membership(role)} payoutId="p1" back={BACK} />);
  await screen.findByRole('heading', { level: 1, name: 'Payout statement' });
  return { api, ...page };
}

const button = (name: string) => screen.queryByRole('button', { name });

/** jsdom's Blob has no text(): read it the older way. */
function blobText(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

describe('the payout page', () => {
  it('shows the statement: member, period, each line and the total', async () => {
    await open('draft');
    expect(screen.getByText('Ada Lovelace')).toBeTruthy();
    expect(screen.getByText('2026-03-01 – 2026-03-31')).toBeTruthy();
    const lines = screen.getByRole('table', { name: 'Payout lines' });
    expect(within(lines).getAllByRole('row')).toHaveLength(4);
    expect(within(lines).getByText('Commission on INV-1')).toBeTruthy();
    expect(within(lines).getByText('100.50 USD')).toBeTruthy();
    expect(within(lines).getByRole('rowheader', { name: 'Total' }).parentElement!.textContent).toContain('150.50 USD');
    expect(screen.getByTestId('payout-total').textContent).toBe('150.50 USD');
  });

  it.each([
    ['draft', 'administrator', ['Lock payout']],
    ['locked', 'administrator', ['Mark paid']],
    ['paid', 'administrator', []],
    ['draft', 'sales', []],
    ['locked', 'viewer', []],
  ] as const)('offers for a %s payout to %s: %j', async (status, role, offered) => {
    await open(status, role);
    const shown = ['Lock payout', 'Mark paid'].filter((name) => button(name));
    expect(shown).toEqual(offered);
    // The statement is for everyone who can see the payout.
    expect(button('Download statement (CSV)')).toBeTruthy();
    expect(button('Print')).toBeTruthy();
  });

  it('locks a draft after confirming, then offers to mark it paid', async () => {
    const { api, user } = await open('draft', 'administrator', {
      [`POST /orgs/${ORG_ID}/payouts/p1/lock`]: () => ({ body: { ...payout('locked'), items: undefined } }),
      [`POST /orgs/${ORG_ID}/payouts/p1/mark-paid`]: () => ({ body: { ...payout('paid'), items: undefined } }),
    });
    await user.click(button('Lock payout')!);
    const dialog = screen.getByRole('dialog', { name: 'Lock payout' });
    expect(dialog.textContent).toContain('150.50 USD for Ada Lovelace');
    await user.click(within(dialog).getByRole('button', { name: 'Lock' }));
    await waitFor(() => expect(button('Mark paid')).toBeTruthy());
    expect(api.to(`POST /orgs/${ORG_ID}/payouts/p1/lock`)).toHaveLength(1);
    expect(button('Lock payout')).toBeNull();
    // The lines are kept: lock answers the payout without them.
    expect(screen.getByText('Commission on INV-2')).toBeTruthy();

    await user.click(button('Mark paid')!);
    await user.click(within(screen.getByRole('dialog', { name: 'Mark paid' })).getByRole('button', { name: 'Mark as paid' }));
    await waitFor(() => expect(button('Mark paid')).toBeNull());
    expect(api.to(`POST /orgs/${ORG_ID}/payouts/p1/mark-paid`)).toHaveLength(1);
    expect(screen.getByRole('heading', { level: 1 }).parentElement!.textContent).toContain('Paid');
  });

  it('downloads the statement CSV with the bearer token, under the server’s file name', async () => {
    const csv = 'date,description,amount\n2026-03-05,Commission on INV-1,100.50\n';
    const { api, user } = await open('locked', 'sales', {
      [`GET /orgs/${ORG_ID}/payouts/p1/statement.csv`]: () => ({ text: csv, headers: { 'Content-Type': 'text/csv', 'Content-Disposition': 'attachment; filename="payout-ada-2026-03.csv"' } }),
    });
    const created: Blob[] = [];
    URL.createObjectURL = jest.fn((blob: Blob) => {
      created.push(blob);
      return 'blob:statement';
    });
    URL.revokeObjectURL = jest.fn();
    const clicked: { href: string; download: string }[] = [];
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.getAttribute('href')!, download: this.download });
    });

    await user.click(button('Download statement (CSV)')!);
    await waitFor(() => expect(clicked).toEqual([{ href: 'blob:statement', download: 'payout-ada-2026-03.csv' }]));
    const request = api.to(`GET /orgs/${ORG_ID}/payouts/p1/statement.csv`);
    expect(request).toHaveLength(1);
    expect(request[0]!.headers.authorization).toBe('Bearer test-token');
    expect(created[0]!.type).toBe('text/csv');
    expect(await blobText(created[0]!)).toBe(csv);
  });

  it('reports a statement that cannot be had', async () => {
    const { user } = await open('draft', 'administrator', {
      [`GET /orgs/${ORG_ID}/payouts/p1/statement.csv`]: () => ({ status: 403, body: { type: 'about:blank', title: 'Forbidden', status: 403, detail: 'Not your payout.' } }),
    });
    await user.click(button('Download statement (CSV)')!);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not download the statement');
    expect(alert.textContent).toContain('Not your payout.');
  });

  it('prints the statement with the browser', async () => {
    const { user } = await open('paid');
    window.print = jest.fn();
    await user.click(button('Print')!);
    expect(window.print).toHaveBeenCalledTimes(1);
  });
});
