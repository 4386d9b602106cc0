/** @jest-environment jsdom */
import { screen, waitFor, within } from '@testing-library/react';
import type { NewSale } from '../../../web/src/api/commissions';
import { SaleDetailPage } from '../../../web/src/commissions/SaleDetailPage';
import { SalesPage } from '../../../web/src/commissions/SalesPage';
import { calculation, membership, ORG_ID, sale } from './fixtures';
import { mockApi, renderPage, setUpBrowser } from './harness';

jest.mock('../../../web/src/components/components.css', () => ({}));
jest.mock('../../../web/src/commissions/commissions.css', () => ({}));

const SALES = `/orgs/${ORG_ID}/sales-transactions`;

beforeEach(setUpBrowser);

describe('the sales page', () => {
  it('filters by member, status and unattributed sales', async () => {
    const api = mockApi({ [`GET ${SALES}`]: () => ({ body: { items: [sale('s1'), sale('s2', { teamMemberId: null, teamMemberName: null, refundedMinor: 23456, status: 'partially_refunded' })], nextCursor: null } }) });
    const { user } = renderPage(<SalesPage orgId={ORG_ID} membership={membership('administrator')} />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Sales' })).toBeTruthy();
    const unattributed = within(await screen.findByTestId('sale-s2'));
    expect(unattributed.getByText('Unattributed')).toBeTruthy();
    expect(unattributed.getByText('−234.56 USD refunded')).toBeTruthy();
    expect(unattributed.getByText('Partially refunded')).toBeTruthy();

    await user.selectOptions(await screen.findByLabelText('Team member'), 'tm-bob');
    await user.selectOptions(screen.getByLabelText('Status'), 'refunded');
    const lastQuery = () => Object.fromEntries(api.to(`GET ${SALES}`).at(-1)!.query);
    await waitFor(() => expect(lastQuery()).toEqual({ teamMemberId: 'tm-bob', status: 'refunded', limit: '50' }));
    // Unattributed sales have no member: the member filter steps aside.
    await user.click(screen.getByLabelText('Unattributed only'));
    await waitFor(() => expect(lastQuery()).toEqual({ status: 'refunded', unattributed: 'true', limit: '50' }));
  });

  it('records a manual sale with its amount in minor units', async () => {
    const api = mockApi({
      [`GET ${SALES}`]: () => ({ body: { items: [], nextCursor: null } }),
      [`POST ${SALES}`]: (call) => ({ status: 201, body: sale('s9', call.body as NewSale) }),
    });
    const { user } = renderPage(<SalesPage orgId={ORG_ID} membership={membership('administrator')} />);
    await user.click(await screen.findByRole('button', { name: 'Record a sale' }));
    const form = within(screen.getByRole('form', { name: 'Record a sale' }));

    await user.type(form.getByLabelText('Amount'), '1234.567');
    await user.click(form.getByRole('button', { name: 'Create sale' }));
    expect(form.getByTestId('error-amountMinor').textContent).toMatch(/at most 2 decimals/);
    expect(api.to(`POST ${SALES}`)).toHaveLength(0);

    await user.clear(form.getByLabelText('Amount'));
    await user.type(form.getByLabelText('Amount'), '1,234.56');
    await user.selectOptions(form.getByLabelText('Team member'), 'tm-ada');
    await user.type(form.getByLabelText('External ID'), 'INV-77');
    await user.click(form.getByRole('button', { name: 'Add split' }));
    const split = within(form.getByRole('group', { name: 'Split 1' }));
    await user.selectOptions(split.getByLabelText('Member'), 'tm-bob');
    await user.type(split.getByLabelText('Payout (%)'), '100');
    await user.click(form.getByRole('button', { name: 'Create sale' }));

    await waitFor(() => expect(api.to(`POST ${SALES}`)).toHaveLength(1));
    expect(api.to(`POST ${SALES}`)[0]!.body).toEqual({
      amountMinor: 123456,
      currency: 'USD',
      teamMemberId: 'tm-ada',
      externalId: 'INV-77',
      splits: [{ teamMemberId: 'tm-bob', creditBps: 10000, payoutBps: 10000 }],
    });
    await waitFor(() => expect(location.pathname).toBe(`/orgs/${ORG_ID}/sales/s9`));
  });
});

describe('a sale’s page', () => {
  it('assigns an unattributed sale and records a refund within what is left', async () => {
    let current = sale('s1', { teamMemberId: null, teamMemberName: null });
    const api = mockApi({
      [`GET ${SALES}/s1`]: () => ({ body: current }),
      [`POST ${SALES}/s1/assign`]: () => {
        current = sale('s1', { calculations: [calculation('c1')] });
        return { body: current };
      },
      [`POST ${SALES}/s1/refunds`]: (call) => {
        const { amountMinor } = call.body as { amountMinor: number };
        current = { ...current, refundedMinor: amountMinor, status: 'partially_refunded', refunds: [{ id: 'r1', externalId: null, amountMinor, reason: 'Damaged', createdAt: '2026-03-09T10:00:00Z' }] };
        return { status: 201, body: { refund: current.refunds[0], sale: current, clawbacks: [calculation('cb1', { kind: 'clawback', amountMinor: -2000 })] } };
      },
    });
    const { user } = renderPage(<SaleDetailPage orgId={ORG_ID} membership={membership('administrator')} saleId="s1" />);
    await screen.findByRole('heading', { level: 1, name: /Sale 1234\.56 USD/ });
    expect(screen.getByText(/earns no commission yet/)).toBeTruthy();

    const assign = within(screen.getByRole('form', { name: 'Assign team member' }));
    await user.selectOptions(assign.getByLabelText('Team member'), 'tm-ada');
    await user.click(assign.getByRole('button', { name: 'Assign team member' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Assign team member' })).toBeNull());
    expect(api.to(`POST ${SALES}/s1/assign`)[0]!.body).toEqual({ teamMemberId: 'tm-ada' });
    expect(within(screen.getByRole('table', { name: 'Commissions of this sale' })).getByText('100.00 USD')).toBeTruthy();

    const refund = within(screen.getByRole('form', { name: 'Record refund' }));
    const amount = refund.getByLabelText('Refund amount (USD)') as HTMLInputElement;
    expect(amount.value).toBe('1234.56');
    await user.clear(amount);
    await user.type(amount, '1234.57');
    await user.click(refund.getByRole('button', { name: 'Record refund' }));
    expect(refund.getByTestId('error-amountMinor').textContent).toBe('At most 1234.56 USD is left to refund.');
    await user.clear(amount);
    await user.type(amount, '200');
    await user.type(refund.getByLabelText('Reason'), 'Damaged');
    await user.click(refund.getByRole('button', { name: 'Record refund' }));
    await waitFor(() => expect(api.to(`POST ${SALES}/s1/refunds`)).toHaveLength(1));
    expect(api.to(`POST ${SALES}/s1/refunds`)[0]!.body).toEqual({ amountMinor: 20000, reason: 'Damaged' });
    expect(await screen.findByText('Clawed back 20.00 USD.')).toBeTruthy();
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Refunds' })).getByText('200.00 USD')).toBeTruthy());
  });

  it('prices a sale again at the same amount, or corrects it, never below what was refunded', async () => {
    let current = sale('s1', { refundedMinor: 10_000, status: 'partially_refunded' });
    const api = mockApi({
      [`GET ${SALES}/s1`]: () => ({ body: current }),
      [`POST ${SALES}/s1/correct`]: (call) => {
        current = { ...current, amountMinor: (call.body as { amountMinor: number }).amountMinor };
        return { body: current };
      },
    });
    const { user } = renderPage(<SaleDetailPage orgId={ORG_ID} membership={membership('administrator')} saleId="s1" />);
    const form = within(await screen.findByRole('form', { name: 'Correct the sale' }));
    await user.click(form.getByRole('button', { name: 'Price again' }));
    await waitFor(() => expect(api.to(`POST ${SALES}/s1/correct`)).toHaveLength(1));
    expect(api.to(`POST ${SALES}/s1/correct`)[0]!.body).toEqual({ amountMinor: 123_456 });

    const again = within(await screen.findByRole('form', { name: 'Correct the sale' }));
    const amount = again.getByLabelText('Sale amount (USD)');
    await user.clear(amount);
    await user.type(amount, '99.99');
    await user.click(again.getByRole('button', { name: 'Correct amount' }));
    expect(again.getByTestId('error-amountMinor').textContent).toBe('At least 100.00 USD (already refunded).');
    await user.clear(amount);
    await user.type(amount, '1500');
    await user.click(again.getByRole('button', { name: 'Correct amount' }));
    await waitFor(() => expect(api.to(`POST ${SALES}/s1/correct`)).toHaveLength(2));
    expect(api.to(`POST ${SALES}/s1/correct`)[1]!.body).toEqual({ amountMinor: 150_000 });
  });
});
