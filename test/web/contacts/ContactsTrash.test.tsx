/** @jest-environment jsdom */
import { screen, waitFor, within } from '@testing-library/react';
import type { Contact } from '../../../web/src/api/contacts';
import { ContactDetailPage } from '../../../web/src/contacts/ContactDetailPage';
import { ContactsPage } from '../../../web/src/contacts/ContactsPage';
import { membership, ORG_ID } from '../commissions/fixtures';
import { mockApi, renderPage, setUpBrowser } from '../commissions/harness';

jest.mock('../../../web/src/components/components.css', () => ({}));
jest.mock('../../../web/src/contacts/contacts.css', () => ({}));
jest.mock('../../../web/src/receipts/receipts.css', () => ({}));

const CONTACTS = `/orgs/${ORG_ID}/contacts`;
const DAY = 86_400_000;

function contact(id: string, name: string, changes: Partial<Contact> = {}): Contact {
  return {
    id,
    ghlContactId: `g-${id}`,
    firstName: null,
    lastName: null,
    name,
    email: `${id}@example.test`,
    phone: null,
    tags: [],
    assignedTo: null,
    customFields: [],
    source: null,
    dateAdded: null,
    deletedAt: null,
    deletedBy: null,
    restorableUntil: null,
    syncedAt: '2026-03-01T10:00:00Z',
    ...changes,
  };
}

const deletedHere = (id: string, name: string, untilMs = Date.now() + 20 * DAY) =>
  contact(id, name, { deletedAt: new Date(untilMs - 30 * DAY).toISOString(), deletedBy: 'user', restorableUntil: new Date(untilMs).toISOString() });

beforeEach(() => setUpBrowser());

describe('deleting and restoring a contact', () => {
  it('deletes a contact from its page after a confirmation that says GoHighLevel keeps it, then offers to restore it', async () => {
    let current = contact('c1', 'Ada Lovelace');
    const api = mockApi({
      [`GET ${CONTACTS}/c1`]: () => ({ body: current }),
      [`DELETE ${CONTACTS}/c1`]: () => {
        current = deletedHere('c1', 'Ada Lovelace');
        return { status: 204 };
      },
      [`POST ${CONTACTS}/c1/restore`]: () => {
        current = contact('c1', 'Ada Lovelace');
        return { body: current };
      },
    });
    const { user } = renderPage(<ContactDetailPage orgId={ORG_ID} membership={membership('administrator')} contactId="c1" />);
    await user.click(await screen.findByRole('button', { name: 'Delete Ada Lovelace' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete contact' });
    expect(dialog.textContent).toContain('GoHighLevel keeps the contact');
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));

    const banner = await screen.findByTestId('contact-deleted');
    expect(banner.textContent).toMatch(/^Deleted in Flowline on .*GoHighLevel still has it\. Restorable until /);
    expect(banner.querySelectorAll('time')[1]!.getAttribute('datetime')).toBe(current.restorableUntil);
    expect(api.to(`DELETE ${CONTACTS}/c1`)).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: 'Restore Ada Lovelace' }));
    await waitFor(() => expect(screen.queryByTestId('contact-deleted')).toBeNull());
    expect(api.to(`POST ${CONTACTS}/c1/restore`)).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Delete Ada Lovelace' })).toBeTruthy();
  });

  it('offers neither delete nor restore to a member who may not delete contacts', async () => {
    mockApi({ [`GET ${CONTACTS}/c1`]: () => ({ body: deletedHere('c1', 'Ada Lovelace') }), [`GET ${CONTACTS}/c2`]: () => ({ body: contact('c2', 'Bob Stone') }) });
    const first = renderPage(<ContactDetailPage orgId={ORG_ID} membership={membership('sales')} contactId="c1" />);
    await screen.findByTestId('contact-deleted');
    expect(screen.queryByRole('button', { name: /Restore/ })).toBeNull();
    first.unmount();
    renderPage(<ContactDetailPage orgId={ORG_ID} membership={membership('sales')} contactId="c2" />);
    await screen.findByRole('heading', { name: 'Bob Stone' });
    expect(screen.queryByRole('button', { name: /Delete/ })).toBeNull();
  });

  it('lists the trash with who deleted each contact and until when it can be restored; only contacts deleted here get a Restore button', async () => {
    history.replaceState(null, '', `${CONTACTS}?view=trash`);
    const mine = deletedHere('c1', 'Ada Lovelace');
    const api = mockApi({
      [`GET ${CONTACTS}`]: () => ({
        body: { items: [mine, contact('c2', 'Gone In GHL', { deletedAt: '2026-03-02T10:00:00Z', deletedBy: 'ghl' })], nextCursor: null },
      }),
      [`POST ${CONTACTS}/c1/restore`]: () => ({
        status: 409,
        headers: { 'content-type': 'application/problem+json' },
        body: { type: 'about:blank', title: 'Conflict', status: 409, detail: 'This contact can no longer be restored: the trash keeps it until yesterday' },
      }),
    });
    const { user } = renderPage(<ContactsPage orgId={ORG_ID} membership={membership('administrator')} />);
    const table = await screen.findByRole('table', { name: 'Deleted contacts' });
    expect(api.to(`GET ${CONTACTS}`)[0]!.query.get('deleted')).toBe('true');
    expect(screen.getByRole('link', { name: 'Deleted' }).getAttribute('aria-current')).toBe('page');

    const ours = within(table).getByTestId('trash-row-g-c1');
    expect(ours.textContent).toContain('Flowline');
    expect([...ours.querySelectorAll('time')].map((t) => t.getAttribute('datetime'))).toEqual([mine.deletedAt, mine.restorableUntil]);
    const ghl = within(table).getByTestId('trash-row-g-c2');
    expect(ghl.textContent).toContain('Restore it in GoHighLevel');
    expect(within(ghl).queryByRole('button')).toBeNull();

    await user.click(within(ours).getByRole('button', { name: 'Restore Ada Lovelace' }));
    expect(await screen.findByText(/the trash keeps it until yesterday/)).toBeTruthy();
  });
});
