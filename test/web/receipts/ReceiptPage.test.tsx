/** @jest-environment jsdom */
import { screen, waitFor, within } from '@testing-library/react';
import type { Receipt } from '../../../web/src/api/receipts';
import { ReceiptPage } from '../../../web/src/receipts/ReceiptPage';
import { membership, ORG_ID } from '../commissions/fixtures';
import { mockApi, renderPage, setUpBrowser } from '../commissions/harness';
import { receipt, setUpObjectUrls } from './fixtures';

jest.mock('../../../web/src/components/components.css', () => ({}));
jest.mock('../../../web/src/receipts/receipts.css', () => ({}));

const GET = `GET /orgs/${ORG_ID}/receipts/r1`;
const FILE = `GET /orgs/${ORG_ID}/receipts/r1/file`;
const CONFIRM = `POST /orgs/${ORG_ID}/receipts/r1/confirm`;
const REJECT = `POST /orgs/${ORG_ID}/receipts/r1/reject`;
const RETRY = `POST /orgs/${ORG_ID}/receipts/r1/retry`;
const file = () => ({ text: 'jpeg bytes', headers: { 'content-type': 'image/jpeg' } });

const input = (name: string) => screen.getByLabelText(name, { selector: 'input' }) as HTMLInputElement;

beforeEach(() => {
  setUpBrowser();
  setUpObjectUrls();
});

describe('the receipt page', () => {
  it('shows the picture beside the fields, with the uncertain ones marked and the review reasons listed', async () => {
    const api = mockApi({ [GET]: () => ({ body: receipt('r1', { rawAnswer: 'total: 42,50?' }) }), [FILE]: file });
    renderPage(<ReceiptPage orgId={ORG_ID} membership={membership('administrator')} receiptId="r1" />);

    expect(await screen.findByRole('heading', { level: 1, name: /Receipt Harbour Hardware/ })).toBeTruthy();
    expect(((await screen.findByRole('img', { name: 'Receipt hardware-store.jpg' })) as HTMLImageElement).src).toMatch(/^blob:/);
    // The file is fetched with the session's token, not loaded by its address.
    expect(api.to(FILE)[0]!.headers.authorization).toBe('Bearer test-token');

    expect(input('Vendor').value).toBe('Harbour Hardware');
    expect(input('Date').value).toBe('2026-03-02');
    expect(input('Total').value).toBe('42.50');
    expect(input('Tax').value).toBe('3.50');
    expect(input('Amount, line 2').value).toBe('14.00');

    const total = input('Total');
    expect(total.classList.contains('receipt-low')).toBe(true);
    const described = total.getAttribute('aria-describedby')!.split(' ').map((id) => document.getElementById(id)!.textContent);
    expect(described.join(' ')).toMatch(/Check this: the reading is uncertain \(42% sure\)/);
    expect(input('Vendor').classList.contains('receipt-low')).toBe(false);
    expect(within(screen.getByTestId('review-reasons')).getByText('Low confidence in total')).toBeTruthy();
    expect(screen.getByTestId('receipt-raw-answer').textContent).toBe('total: 42,50?');
    expect(screen.getByTestId('line-items-check').textContent).toMatch(/Line items add up to 39.00 USD \(the total is 42.50 USD\)/);
  });

  it('sends the corrected fields in minor units, warns while the line items do not add up, and shows the linked sale', async () => {
    const api = mockApi({
      [GET]: () => ({ body: receipt('r1') }),
      [FILE]: file,
      [CONFIRM]: (call) => {
        const edits = (call.body as { edits: Receipt['extracted'] }).edits!;
        return { body: receipt('r1', { status: 'confirmed', extracted: edits, saleId: 's1', sale: { id: 's1', amountMinor: edits.totalMinor!, currency: 'USD', status: 'paid', source: 'receipt' } }) };
      },
    });
    const { user } = renderPage(<ReceiptPage orgId={ORG_ID} membership={membership('administrator')} receiptId="r1" />);
    await screen.findByRole('form', { name: 'Review receipt' });

    await user.clear(input('Total'));
    await user.type(input('Total'), '45.10');
    expect(screen.getByTestId('line-items-check').textContent).toMatch(/Line items add up to 39.00 USD, not the total 45.10 USD/);

    await user.click(screen.getByRole('button', { name: 'Add line item' }));
    await user.type(input('Description, line 3'), 'Washers');
    await user.type(input('Amount, line 3'), '2.6');
    // 25.00 + 14.00 + 2.60 = 41.60, and 3.50 of tax on top makes 45.10.
    expect(screen.getByTestId('line-items-check').textContent).toMatch(/Line items add up to 41.60 USD \(the total is 45.10 USD\)/);
    await user.clear(input('Vendor'));
    await user.type(input('Vendor'), '  Harbour Hardware Ltd ');

    expect((screen.getByRole('checkbox', { name: /Create or update the opportunity’s sale/ }) as HTMLInputElement).checked).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Confirm' }));

    await waitFor(() => expect(api.to(CONFIRM)).toHaveLength(1));
    expect(api.to(CONFIRM)[0]!.body).toEqual({
      createSale: true,
      edits: {
        vendor: 'Harbour Hardware Ltd',
        date: '2026-03-02',
        currency: 'USD',
        totalMinor: 4510,
        taxMinor: 350,
        lineItems: [
          { description: 'Claw hammer', quantity: 1, amountMinor: 2500 },
          { description: 'Box of nails', quantity: 2, amountMinor: 1400 },
          { description: 'Washers', quantity: null, amountMinor: 260 },
        ],
        paymentMethod: 'card',
        referenceNumber: 'R-1042',
      },
    });
    const sale = await screen.findByTestId('receipt-sale');
    expect(within(sale).getByRole('link', { name: '45.10 USD' }).getAttribute('href')).toBe(`/orgs/${ORG_ID}/sales/s1`);
    expect(screen.getByTestId('receipt-status').textContent).toBe('Confirmed');
    expect(screen.queryByRole('button', { name: 'Confirm' })).toBeNull();
  });

  it('removes line items and confirms without a sale when asked', async () => {
    const api = mockApi({ [GET]: () => ({ body: receipt('r1') }), [FILE]: file, [CONFIRM]: () => ({ body: receipt('r1', { status: 'confirmed' }) }) });
    const { user } = renderPage(<ReceiptPage orgId={ORG_ID} membership={membership('owner')} receiptId="r1" />);
    await screen.findByRole('form', { name: 'Review receipt' });
    await user.click(screen.getByRole('button', { name: 'Remove line 1' }));
    expect(input('Description, line 1').value).toBe('Box of nails');
    expect(screen.getByTestId('line-items-check').textContent).toMatch(/add up to 14.00 USD, not the total 42.50 USD/);
    await user.click(screen.getByRole('checkbox', { name: /Create or update the opportunity’s sale/ }));
    await user.click(screen.getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(api.to(CONFIRM)).toHaveLength(1));
    const body = api.to(CONFIRM)[0]!.body as { createSale: boolean; edits: NonNullable<Receipt['extracted']> };
    expect(body.createSale).toBe(false);
    expect(body.edits.lineItems).toEqual([{ description: 'Box of nails', quantity: 2, amountMinor: 1400 }]);
    expect(await screen.findByText('Confirmed without a sale.')).toBeTruthy();
  });

  it('refuses an amount the currency cannot hold before asking the server', async () => {
    const api = mockApi({ [GET]: () => ({ body: receipt('r1') }), [FILE]: file });
    const { user } = renderPage(<ReceiptPage orgId={ORG_ID} membership={membership('administrator')} receiptId="r1" />);
    await screen.findByRole('form', { name: 'Review receipt' });
    await user.clear(input('Total'));
    await user.type(input('Total'), '42.505');
    await user.clear(input('Amount, line 1'));
    await user.click(screen.getByRole('button', { name: 'Confirm' }));
    expect((await screen.findByTestId('error-edits.totalMinor')).textContent).toMatch(/at most 2 decimals/);
    expect(input('Amount, line 1').getAttribute('aria-invalid')).toBe('true');
    expect(api.to(CONFIRM)).toHaveLength(0);
  });

  it('rejects only with a reason', async () => {
    const api = mockApi({
      [GET]: () => ({ body: receipt('r1') }),
      [FILE]: file,
      [REJECT]: (call) => ({ body: receipt('r1', { status: 'rejected', rejectReason: (call.body as { reason: string }).reason }) }),
    });
    const { user } = renderPage(<ReceiptPage orgId={ORG_ID} membership={membership('administrator')} receiptId="r1" />);
    await screen.findByRole('form', { name: 'Review receipt' });
    await user.click(screen.getByRole('button', { name: 'Reject' }));
    await user.click(screen.getByRole('button', { name: 'Reject receipt' }));
    expect(screen.getByTestId('error-reason').textContent).toBe('Say why the receipt is rejected.');
    expect(api.to(REJECT)).toHaveLength(0);
    await user.type(screen.getByLabelText('Reason for rejecting'), 'A personal purchase');
    await user.click(screen.getByRole('button', { name: 'Reject receipt' }));
    await waitFor(() => expect(api.to(REJECT)).toHaveLength(1));
    expect(api.to(REJECT)[0]!.body).toEqual({ reason: 'A personal purchase' });
    expect((await screen.findByTestId('receipt-rejected')).textContent).toMatch(/A personal purchase/);
  });

  it('shows a sales member what was read, without the review actions', async () => {
    mockApi({ [GET]: () => ({ body: receipt('r1') }), [FILE]: file });
    renderPage(<ReceiptPage orgId={ORG_ID} membership={membership('sales')} receiptId="r1" />);
    const facts = await screen.findByTestId('receipt-facts');
    expect(within(facts).getByText('42.50 USD')).toBeTruthy();
    expect(within(facts).getByText(/Check this/)).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Review receipt' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Confirm' })).toBeNull();
  });

  it('follows a receipt being read until its fields arrive', async () => {
    let reads = 0;
    mockApi({ [GET]: () => ({ body: reads++ < 2 ? receipt('r1', { status: 'processing', extracted: null, confidence: null, lowConfidenceFields: [], reviewReasons: [] }) : receipt('r1') }), [FILE]: file });
    renderPage(<ReceiptPage orgId={ORG_ID} membership={membership('administrator')} receiptId="r1" />);
    expect(await screen.findByTestId('receipt-reading')).toBeTruthy();
    expect(await screen.findByRole('form', { name: 'Review receipt' }, { timeout: 10_000 })).toBeTruthy();
    expect(input('Total').value).toBe('42.50');
    expect(screen.queryByTestId('receipt-reading')).toBeNull();
  });

  it('says why a reading failed and runs it again on Retry', async () => {
    const api = mockApi({
      [GET]: () => ({ body: receipt('r1', { status: 'failed', extracted: null, confidence: null, lowConfidenceFields: [], reviewReasons: [], failureReason: 'the model did not answer' }) }),
      [FILE]: file,
      [RETRY]: () => ({ body: receipt('r1', { status: 'uploaded', extracted: null, confidence: null, lowConfidenceFields: [], reviewReasons: [] }) }),
    });
    const { user } = renderPage(<ReceiptPage orgId={ORG_ID} membership={membership('administrator')} receiptId="r1" />);
    const failure = await screen.findByTestId('receipt-failure');
    expect(failure.textContent).toMatch(/could not be read: the model did not answer/);
    await user.click(within(failure).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(api.to(RETRY)).toHaveLength(1));
    expect(await screen.findByTestId('receipt-reading')).toBeTruthy();
  });

  it('deletes a receipt after asking, and goes back to its contact', async () => {
    const api = mockApi({ [GET]: () => ({ body: receipt('r1', { temporalUrl: 'http://localhost:8233/namespaces/default/workflows/receipt-r1' }) }), [FILE]: file, [`DELETE /orgs/${ORG_ID}/receipts/r1`]: () => ({ status: 204 }) });
    const { user } = renderPage(<ReceiptPage orgId={ORG_ID} membership={membership('administrator')} receiptId="r1" />);
    expect((await screen.findByRole('link', { name: 'Workflow in Temporal' })).getAttribute('href')).toMatch(/receipt-r1$/);
    await user.click(screen.getByRole('button', { name: 'Delete receipt' }));
    expect(api.to(`DELETE /orgs/${ORG_ID}/receipts/r1`)).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(api.to(`DELETE /orgs/${ORG_ID}/receipts/r1`)).toHaveLength(1));
    await waitFor(() => expect(location.pathname).toBe(`/orgs/${ORG_ID}/contacts/contact-1`));
  });

  it('offers no delete to who may not delete', async () => {
    mockApi({ [GET]: () => ({ body: receipt('r1') }), [FILE]: file });
    renderPage(<ReceiptPage orgId={ORG_ID} membership={membership('sales')} receiptId="r1" />);
    await screen.findByTestId('receipt-facts');
    expect(screen.queryByRole('button', { name: 'Delete receipt' })).toBeNull();
  });

  it('shows a PDF in the browser’s viewer', async () => {
    mockApi({ [GET]: () => ({ body: receipt('r1', { contentType: 'application/pdf', fileName: 'invoice.pdf' }) }), [`GET /orgs/${ORG_ID}/receipts/r1/file`]: () => ({ text: '%PDF-1.4', headers: { 'content-type': 'application/pdf' } }) });
    renderPage(<ReceiptPage orgId={ORG_ID} membership={membership('administrator')} receiptId="r1" />);
    const frame = await screen.findByTitle('Receipt invoice.pdf');
    expect(frame.tagName).toBe('IFRAME');
    expect(frame.getAttribute('src')).toMatch(/^blob:/);
  });
});
