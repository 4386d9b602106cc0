/** @jest-environment jsdom */
import { screen, waitFor, within } from '@testing-library/react';
import type { DeletedBot } from '../../../web/src/api/bots';
import { BotPage } from '../../../web/src/bots/BotPage';
import { BotsPage } from '../../../web/src/bots/BotsPage';
import { membership, ORG_ID } from '../commissions/fixtures';
import { type ApiCall, mockApi, renderPage, setUpBrowser } from '../commissions/harness';
import { bot, BOT_ID } from './fixtures';

jest.mock('../../../web/src/components/components.css', () => ({}));
jest.mock('../../../web/src/bots/bots.css', () => ({}));

const LIST = `GET /orgs/${ORG_ID}/bots`;
const ORG = `GET /orgs/${ORG_ID}`;
const RESTORE = `POST /orgs/${ORG_ID}/bots/b9/restore`;
const DAY_MS = 86_400_000;
const organization = (settings: Record<string, unknown>) => () => ({ body: { id: ORG_ID, name: 'Acme', settings } });

function deletedBot(changes: Partial<DeletedBot> = {}): DeletedBot {
  return { ...bot({ id: 'b9', name: 'Night shift', mode: 'off' }), deletedAt: new Date(Date.now() - DAY_MS).toISOString(), restorableUntil: new Date(Date.now() + 13 * DAY_MS).toISOString(), ...changes };
}

beforeEach(() => {
  setUpBrowser();
  history.replaceState(null, '', `/orgs/${ORG_ID}/bots`);
});

describe('the bot trash', () => {
  it('lists deleted bots with when they were deleted and until when they can be restored, and restores one switched off', async () => {
    const listed = deletedBot();
    let restored = false;
    const api = mockApi({
      [ORG]: organization({ trashRetentionDays: 14 }),
      [LIST]: (call: ApiCall) =>
        call.query.get('deleted') === 'true' ? { body: { items: restored ? [] : [listed] } } : { body: { items: restored ? [bot({ id: 'b9', name: 'Night shift', mode: 'off' })] : [] } },
      [RESTORE]: () => {
        restored = true;
        return { body: bot({ id: 'b9', name: 'Night shift', mode: 'off' }) };
      },
    });
    const { user } = renderPage(<BotsPage orgId={ORG_ID} membership={membership('bot_trainer')} />);
    await user.click(await screen.findByRole('tab', { name: 'Deleted' }));

    const row = await screen.findByTestId('deleted-bot-b9');
    expect(within(row).getAllByRole('cell').map((c) => c.textContent).slice(0, 3)).toEqual([
      'Night shift',
      new Date(listed.deletedAt).toLocaleString(),
      new Date(listed.restorableUntil!).toLocaleString(),
    ]);
    expect(await screen.findByText(/A deleted bot can be restored from Deleted for 14 days\. It comes back switched off\./)).toBeTruthy();

    await user.click(within(row).getByRole('button', { name: 'Restore Night shift' }));
    expect((await screen.findByTestId('toast')).textContent).toContain('Night shift is off until you turn it on.');
    expect(api.to(RESTORE)).toHaveLength(1);
    await waitFor(() => expect(screen.queryByTestId('deleted-bot-b9')).toBeNull());

    await user.click(screen.getByRole('tab', { name: 'Active' }));
    expect(await screen.findByTestId('bot-b9')).toBeTruthy();
  });

  it('says what to do when another bot took the name meanwhile', async () => {
    mockApi({
      [ORG]: organization({}),
      [LIST]: (call: ApiCall) => ({ body: { items: call.query.get('deleted') === 'true' ? [deletedBot()] : [] } }),
      [RESTORE]: () => ({
        status: 409,
        body: { type: 'about:blank', title: 'Conflict', status: 409, detail: 'Another bot took this name', errors: [{ path: 'name', message: 'Already used in this organization' }] },
      }),
    });
    const { user } = renderPage(<BotsPage orgId={ORG_ID} membership={membership('bot_trainer')} />);
    await user.click(await screen.findByRole('tab', { name: 'Deleted' }));
    await user.click(await screen.findByRole('button', { name: 'Restore Night shift' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Another bot is called Night shift now: rename it, then restore this one');
    expect(screen.getByTestId('deleted-bot-b9')).toBeTruthy();
  });

  it('shows the trash to a viewer without a way to restore', async () => {
    mockApi({ [ORG]: organization({}), [LIST]: (call: ApiCall) => ({ body: { items: call.query.get('deleted') === 'true' ? [deletedBot()] : [] } }) });
    const { user } = renderPage(<BotsPage orgId={ORG_ID} membership={membership('viewer')} />);
    await user.click(await screen.findByRole('tab', { name: 'Deleted' }));
    expect(within(await screen.findByTestId('deleted-bot-b9')).queryByRole('button')).toBeNull();
  });

  it('says in the delete confirmation for how many days the bot can be restored', async () => {
    history.replaceState(null, '', `/orgs/${ORG_ID}/bots/${BOT_ID}`);
    mockApi({
      [ORG]: organization({ trashRetentionDays: 1 }),
      [`GET /orgs/${ORG_ID}/bots/${BOT_ID}`]: () => ({ body: bot() }),
      [`GET /orgs/${ORG_ID}/bots/${BOT_ID}/knowledge`]: () => ({ body: { items: [] } }),
    });
    const { user } = renderPage(<BotPage orgId={ORG_ID} membership={membership('bot_trainer')} botId={BOT_ID} />);
    await screen.findByRole('heading', { name: 'Studio assistant' });
    await user.click(screen.getByRole('button', { name: 'Delete bot' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete bot' });
    await waitFor(() => expect(dialog.textContent).toContain('It can be restored from Deleted for 1 day.'));
  });
});
