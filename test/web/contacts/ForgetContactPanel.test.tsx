/** @jest-environment jsdom */
import { screen, within } from '@testing-library/react';
import { ForgetContactPanel } from '../../../web/src/contacts/ForgetContactPanel';
import { ORG_ID } from '../commissions/fixtures';
import { mockApi, renderPage, setUpBrowser } from '../commissions/harness';

jest.mock('../../../web/src/components/components.css', () => ({}));

const ROUTE = `POST /orgs/${ORG_ID}/contacts/c-ada/forget`;

describe('forget this contact', () => {
  beforeEach(() => setUpBrowser());

  it('asks first, then forgets, says how much went, and leaves the contact page', async () => {
    const api = mockApi({
      [ROUTE]: () => ({
        body: {
          forgotten: true,
          removed: { conversations: 1, messages: 4, executions: 2, webhookEvents: 3, auditEntriesRedacted: 1, salesUnlinked: 0, receiptsUnlinked: 0 },
          temporalHistories: { deleted: 3, alreadyGone: 0, failed: [] },
        },
      }),
    });
    window.history.pushState({}, '', `/orgs/${ORG_ID}/contacts/c-ada`);
    const { user } = renderPage(<ForgetContactPanel orgId={ORG_ID} contactId="c-ada" name="Ada Lovelace" />);
    await user.click(screen.getByRole('button', { name: 'Forget this contact…' }));
    expect(api.to(ROUTE)).toHaveLength(0);
    const dialog = screen.getByRole('dialog', { name: 'Forget Ada Lovelace?' });
    expect(within(dialog).getByText(/no way to restore it/)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Forget for good' }));
    await screen.findByText('Ada Lovelace was forgotten');
    expect(screen.getByText(/Removed 1 conversation, 4 messages, 2 workflow runs, 3 webhook deliveries, 1 audit entry redacted\./)).toBeTruthy();
    expect(api.to(ROUTE)).toHaveLength(1);
    expect(window.location.pathname).toBe(`/orgs/${ORG_ID}/contacts`);
  });

  it('keeps a refusal in the dialog', async () => {
    mockApi({
      [ROUTE]: () => ({ status: 403, headers: { 'content-type': 'application/problem+json' }, body: { type: 'about:blank', title: 'Forbidden', status: 403, detail: 'Needs contacts:delete' } }),
    });
    const { user } = renderPage(<ForgetContactPanel orgId={ORG_ID} contactId="c-ada" name="Ada Lovelace" />);
    await user.click(screen.getByRole('button', { name: 'Forget this contact…' }));
    const dialog = screen.getByRole('dialog', { name: 'Forget Ada Lovelace?' });
    await user.click(within(dialog).getByRole('button', { name: 'Forget for good' }));
    await within(dialog).findByText(/Needs contacts:delete/);
  });
});
