/** @jest-environment jsdom */
import { screen, waitFor } from '@testing-library/react';
import { RetentionSection } from '../../../web/src/org/RetentionForm';
import { ORG_ID } from '../commissions/fixtures';
import { mockApi, renderPage, setUpBrowser } from '../commissions/harness';

jest.mock('../../../web/src/components/components.css', () => ({}));

const DEFAULTS = {
  executionRetentionDays: 30,
  conversationRetentionDays: 365,
  auditRetentionDays: 365,
  trashRetentionDays: 30,
  webhookEventRetentionDays: 30,
  archiveBeforeDelete: false,
};
const ROUTE = `/orgs/${ORG_ID}/data-retention`;

describe('data retention settings', () => {
  beforeEach(() => setUpBrowser());

  it('shows what applies, sends only what changed, and shows the saved values', async () => {
    const api = mockApi({
      [`GET ${ROUTE}`]: () => ({ body: { ...DEFAULTS, auditRetentionDays: 400, defaults: DEFAULTS } }),
      [`PUT ${ROUTE}`]: (call) => ({ body: { ...DEFAULTS, auditRetentionDays: 400, ...(call.body as object), defaults: DEFAULTS } }),
    });
    const { user } = renderPage(<RetentionSection orgId={ORG_ID} canEdit />);
    const conversations = await screen.findByLabelText('Bot conversations');
    expect(conversations).toHaveProperty('value', '365');
    expect(screen.getByLabelText('Audit log')).toHaveProperty('value', '400');
    expect(screen.getByText(/can be restored for this long/)).toBeTruthy();

    await user.clear(conversations);
    await user.type(conversations, '90');
    await user.click(screen.getByLabelText(/Archive before removing/));
    await user.click(screen.getByRole('button', { name: 'Save retention' }));
    await screen.findByText('Saved');
    expect(api.to(`PUT ${ROUTE}`).map((c) => c.body)).toEqual([{ conversationRetentionDays: 90, archiveBeforeDelete: true }]);
    expect(screen.getByLabelText('Bot conversations')).toHaveProperty('value', '90');
  });

  it('refuses days the API would refuse, next to the field, without calling it', async () => {
    const api = mockApi({ [`GET ${ROUTE}`]: () => ({ body: { ...DEFAULTS, defaults: DEFAULTS } }) });
    const { user } = renderPage(<RetentionSection orgId={ORG_ID} canEdit />);
    const trash = await screen.findByLabelText('Deleted items');
    await user.clear(trash);
    await user.type(trash, '0');
    const runs = screen.getByLabelText('Workflow runs');
    await user.clear(runs);
    await user.type(runs, '2.5');
    await user.click(screen.getByRole('button', { name: 'Save retention' }));
    await screen.findByText('Between 1 and 3650 days.');
    expect(screen.getByText('Enter a whole number of days.')).toBeTruthy();
    expect(api.to(`PUT ${ROUTE}`)).toHaveLength(0);
  });

  it('shows the API’s field problems and is read-only for those who may not change it', async () => {
    mockApi({
      [`GET ${ROUTE}`]: () => ({ body: { ...DEFAULTS, defaults: DEFAULTS } }),
      [`PUT ${ROUTE}`]: () => ({
        status: 422,
        headers: { 'content-type': 'application/problem+json' },
        body: { type: 'about:blank', title: 'Invalid request', status: 422, detail: 'Check the fields', errors: [{ path: 'auditRetentionDays', message: 'At most 3650 days (10 years)' }] },
      }),
    });
    const { user, unmount } = renderPage(<RetentionSection orgId={ORG_ID} canEdit />);
    const audit = await screen.findByLabelText('Audit log');
    await user.clear(audit);
    await user.type(audit, '3000');
    await user.click(screen.getByRole('button', { name: 'Save retention' }));
    await screen.findByText('At most 3650 days (10 years)');
    unmount();

    renderPage(<RetentionSection orgId={ORG_ID} canEdit={false} />);
    await waitFor(() => expect(screen.getByLabelText('Audit log')).toHaveProperty('readOnly', true));
    expect(screen.queryByRole('button', { name: 'Save retention' })).toBeNull();
  });
});
