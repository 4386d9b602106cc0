/** @jest-environment jsdom */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ContactReceiptsPanel } from '../../../web/src/receipts/ContactReceiptsPanel';
import { ReceiptsQueuePage } from '../../../web/src/receipts/ReceiptsQueuePage';
import { membership, ORG_ID } from '../commissions/fixtures';
import { mockApi, renderPage, setUpBrowser } from '../commissions/harness';
import { receipt, setUpObjectUrls } from './fixtures';

jest.mock('../../../web/src/components/components.css', () => ({}));
jest.mock('../../../web/src/receipts/receipts.css', () => ({}));

const OPPORTUNITIES = `GET /orgs/${ORG_ID}/contacts/contact-1/opportunities`;
const RECEIPTS = `GET /orgs/${ORG_ID}/receipts`;
const jpeg = (name = 'hardware-store.jpg', size = 2048) => new File([new Uint8Array(size)], name, { type: 'image/jpeg' });

interface Sent {
  url: string;
  headers: Record<string, string>;
  form: FormData;
}

/**
 * The browser's XMLHttpRequest as uploads meet it (jsdom's would go to the network): it records
 * what was sent, reports the upload's progress, then answers.
 */
function fakeXhr(answer: (sent: Sent) => { status: number; body: unknown } | 'hold') {
  const sent: Sent[] = [];
  class FakeXhr extends EventTarget {
    upload = new EventTarget();
    status = 0;
    statusText = '';
    responseText = '';
    private url = '';
    private headers: Record<string, string> = {};
    open(_method: string, url: string) {
      this.url = url;
    }
    setRequestHeader(name: string, value: string) {
      this.headers[name.toLowerCase()] = value;
    }
    abort() {
      this.dispatchEvent(new Event('abort'));
    }
    send(form: FormData) {
      const request = { url: this.url, headers: this.headers, form };
      sent.push(request);
      setTimeout(() => {
        this.upload.dispatchEvent(Object.assign(new Event('progress'), { lengthComputable: true, loaded: 1024, total: 2048 }));
        const reply = answer(request);
        if (reply === 'hold') return;
        const { status, body } = reply;
        this.status = status;
        this.responseText = JSON.stringify(body);
        this.dispatchEvent(new Event('load'));
      }, 0);
    }
  }
  globalThis.XMLHttpRequest = FakeXhr as unknown as typeof XMLHttpRequest;
  return sent;
}

beforeEach(() => {
  setUpBrowser();
  setUpObjectUrls();
});

describe('a contact’s receipts', () => {
  it('uploads a receipt for the chosen opportunity with the session’s token and lists it', async () => {
    let listed = [receipt('r0', { contentType: 'application/pdf', fileName: 'old.pdf', status: 'confirmed' })];
    const api = mockApi({
      [OPPORTUNITIES]: () => ({ body: { items: [{ id: 'opp-1', name: 'Website redesign', status: 'open', monetaryValue: 1500, pipelineId: 'p1' }, { id: 'opp-2', name: 'Logo', status: 'won', monetaryValue: null, pipelineId: 'p1' }] } }),
      [RECEIPTS]: () => ({ body: { items: listed, nextCursor: null } }),
      [`GET /orgs/${ORG_ID}/receipts/r1/file`]: () => ({ text: 'jpeg', headers: { 'content-type': 'image/jpeg' } }),
    });
    const sent = fakeXhr(() => {
      listed = [receipt('r1', { status: 'needs_review' }), ...listed];
      return { status: 201, body: { receipt: receipt('r1', { status: 'uploaded' }), duplicate: false } };
    });
    const { user } = renderPage(<ContactReceiptsPanel orgId={ORG_ID} membership={membership('sales')} contactId="contact-1" />);
    const table = await screen.findByRole('table', { name: 'Receipts of this contact' });
    expect(api.to(RECEIPTS)[0]!.query.get('contactId')).toBe('contact-1');
    expect(within(table).getByTestId('receipt-pdf-badge').textContent).toBe('PDF');
    expect(within(table).getByRole('link', { name: /old\.pdf/ }).getAttribute('href')).toBe(`/orgs/${ORG_ID}/receipts/r0`);

    await user.selectOptions(await screen.findByLabelText('Opportunity'), 'opp-2');
    await user.upload(screen.getByLabelText('Receipt file'), jpeg());

    expect((await screen.findByTestId('receipt-uploaded')).textContent).toMatch(/hardware-store\.jpg: it is being read/);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe(`/api/v1/orgs/${ORG_ID}/opportunities/opp-2/receipts`);
    expect(sent[0]!.headers.authorization).toBe('Bearer test-token');
    expect((sent[0]!.form.get('file') as File).name).toBe('hardware-store.jpg');
    expect(sent[0]!.form.get('contactId')).toBe('contact-1');
    await waitFor(() => expect(screen.getByTestId('receipt-r1')).toBeTruthy());
    expect(within(screen.getByTestId('receipt-r1')).getByTestId('receipt-status').textContent).toBe('Needs review');
    expect(((await within(screen.getByTestId('receipt-r1')).findByRole('img')) as HTMLImageElement).src).toMatch(/^blob:/);
    expect(api.to(`GET /orgs/${ORG_ID}/receipts/r1/file`)[0]!.headers.authorization).toBe('Bearer test-token');
  });

  it('takes a dropped file, says when it was uploaded before, and refuses what the server would', async () => {
    mockApi({ [OPPORTUNITIES]: () => ({ body: { items: [] } }), [RECEIPTS]: () => ({ body: { items: [], nextCursor: null } }) });
    const sent = fakeXhr(() => ({ status: 200, body: { receipt: receipt('r-old', { createdAt: '2026-02-01T09:00:00Z' }), duplicate: true } }));
    const { user } = renderPage(<ContactReceiptsPanel orgId={ORG_ID} membership={membership('sales')} contactId="contact-1" />);
    expect(await screen.findByText('No receipts yet')).toBeTruthy();
    const zone = screen.getByTestId('receipt-dropzone');

    // No opportunity synced: its ID is typed.
    const drop = (file: File) => fireEvent.drop(zone, { dataTransfer: { files: [file], types: ['Files'] } });
    drop(jpeg());
    expect((await screen.findByRole('alert')).textContent).toMatch(/Choose the opportunity/);
    await user.type(screen.getByLabelText('Opportunity ID'), 'ghl-opp-9');

    drop(new File(['GIF89a'], 'animation.gif', { type: 'image/gif' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/not a receipt Flowline reads/);
    drop(jpeg('huge.jpg', 10 * 1024 * 1024 + 1));
    expect((await screen.findByRole('alert')).textContent).toMatch(/at most 10.0 MB/);
    expect(sent).toHaveLength(0);

    drop(jpeg());
    const notice = await screen.findByTestId('receipt-duplicate');
    expect(notice.textContent).toMatch(/uploaded before/);
    expect(within(notice).getByRole('link', { name: 'Open the earlier receipt' }).getAttribute('href')).toBe(`/orgs/${ORG_ID}/receipts/r-old`);
    expect(sent[0]!.url).toBe(`/api/v1/orgs/${ORG_ID}/opportunities/ghl-opp-9/receipts`);
  });

  it('shows the server’s refusal of an upload', async () => {
    mockApi({ [OPPORTUNITIES]: () => ({ body: { items: [{ id: 'opp-1', name: 'Deal', status: 'open', monetaryValue: 10, pipelineId: 'p' }] } }), [RECEIPTS]: () => ({ body: { items: [], nextCursor: null } }) });
    fakeXhr(() => ({ status: 415, body: { type: 'about:blank', title: 'Unsupported Media Type', status: 415, detail: 'The file is not a JPEG, PNG, WebP or PDF.' } }));
    const { user } = renderPage(<ContactReceiptsPanel orgId={ORG_ID} membership={membership('sales')} contactId="contact-1" />);
    await screen.findByLabelText('Opportunity');
    await user.upload(screen.getByLabelText('Receipt file'), jpeg());
    expect((await screen.findByRole('alert')).textContent).toBe('The file is not a JPEG, PNG, WebP or PDF.');
  });

  it('shows the upload’s progress and can cancel it', async () => {
    mockApi({ [OPPORTUNITIES]: () => ({ body: { items: [{ id: 'opp-1', name: 'Deal', status: 'open', monetaryValue: 10, pipelineId: 'p' }] } }), [RECEIPTS]: () => ({ body: { items: [], nextCursor: null } }) });
    fakeXhr(() => 'hold');
    const { user } = renderPage(<ContactReceiptsPanel orgId={ORG_ID} membership={membership('sales')} contactId="contact-1" />);
    await screen.findByLabelText('Opportunity');
    await user.upload(screen.getByLabelText('Receipt file'), jpeg());
    const bar = await screen.findByRole('progressbar', { name: 'Uploading' });
    await waitFor(() => expect(bar.getAttribute('aria-valuetext')).toBe('50%'));
    expect((screen.getByRole('button', { name: 'Choose a file' }) as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Cancel upload' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The upload of “hardware-store.jpg” was cancelled.');
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('offers no upload to who may only read', async () => {
    mockApi({ [RECEIPTS]: () => ({ body: { items: [receipt('r1')], nextCursor: null } }), [`GET /orgs/${ORG_ID}/receipts/r1/file`]: () => ({ text: 'x', headers: { 'content-type': 'image/jpeg' } }) });
    renderPage(<ContactReceiptsPanel orgId={ORG_ID} membership={membership('viewer')} contactId="contact-1" />);
    await screen.findByTestId('receipt-r1');
    expect(screen.queryByTestId('receipt-dropzone')).toBeNull();
  });
});

describe('the receipts review queue', () => {
  it('lists the receipts that need a review, each opening its page', async () => {
    const api = mockApi({
      [`GET /orgs/${ORG_ID}/receipts`]: () => ({ body: { items: [receipt('r2', { contactName: 'Grace Hopper' }), receipt('r1')], nextCursor: null } }),
      [`GET /orgs/${ORG_ID}/receipts/r1/file`]: () => ({ text: 'x', headers: { 'content-type': 'image/jpeg' } }),
      [`GET /orgs/${ORG_ID}/receipts/r2/file`]: () => ({ text: 'x', headers: { 'content-type': 'image/jpeg' } }),
    });
    renderPage(<ReceiptsQueuePage orgId={ORG_ID} membership={membership('sales')} />);
    const table = await screen.findByRole('table', { name: 'Receipts to review' });
    expect(Object.fromEntries(api.to(`GET /orgs/${ORG_ID}/receipts`)[0]!.query)).toEqual({ status: 'needs_review', limit: '50' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-testid'))).toEqual(['receipt-r2', 'receipt-r1']);
    expect(within(rows[0]!).getByText('Grace Hopper')).toBeTruthy();
    expect(within(rows[0]!).getByText('42.50 USD')).toBeTruthy();
    expect(within(rows[0]!).getByRole('link').getAttribute('href')).toBe(`/orgs/${ORG_ID}/receipts/r2`);
  });
});
