/** @jest-environment jsdom */
import { screen, waitFor, within } from '@testing-library/react';
import type { Bot } from '../../../web/src/api/bots';
import { BotsPage } from '../../../web/src/bots/BotsPage';
import { membership, ORG_ID } from '../commissions/fixtures';
import { mockApi, renderPage, setUpBrowser } from '../commissions/harness';
import { bot } from './fixtures';

jest.mock('../../../web/src/components/components.css', () => ({}));
jest.mock('../../../web/src/bots/bots.css', () => ({}));

const LIST = `GET /orgs/${ORG_ID}/bots`;
const CREATE = `POST /orgs/${ORG_ID}/bots`;

beforeEach(() => {
  setUpBrowser();
  history.replaceState(null, '', `/orgs/${ORG_ID}/bots`);
});

describe('the bots list', () => {
  it('lists each bot with its mode, channels and documents', async () => {
    mockApi({ [LIST]: () => ({ body: { items: [bot(), bot({ id: 'b2', name: 'Night shift', mode: 'off', channels: [], knowledgeDocuments: 0 })] } }) });
    renderPage(<BotsPage orgId={ORG_ID} membership={membership('bot_trainer')} />);
    expect(screen.getByRole('heading', { name: 'Bots' })).toBeTruthy();
    const row = await screen.findByTestId('bot-b1');
    expect(within(row).getAllByRole('cell').map((c) => c.textContent)).toEqual(['Studio assistant', 'Suggest', 'SMS, Web chat', '1']);
    expect(within(screen.getByTestId('bot-b2')).getAllByRole('cell').map((c) => c.textContent)).toEqual(['Night shift', 'Off', 'none', '0']);
  });

  it('says so when there is no bot yet', async () => {
    mockApi({ [LIST]: () => ({ body: { items: [] } }) });
    renderPage(<BotsPage orgId={ORG_ID} membership={membership('bot_trainer')} />);
    expect((await screen.findByTestId('empty-state')).textContent).toContain('No bots yet');
  });

  it('creates a bot by its name and opens its editor', async () => {
    const api = mockApi({
      [LIST]: () => ({ body: { items: [] } }),
      [CREATE]: (call) => ({ status: 201, body: bot({ id: 'b-new', name: (call.body as Bot).name, mode: 'off' }) }),
    });
    const { user } = renderPage(<BotsPage orgId={ORG_ID} membership={membership('bot_trainer')} />);
    await user.click(screen.getByRole('button', { name: 'New bot' }));
    await user.type(screen.getByLabelText('Name'), 'Front desk');
    await user.click(screen.getByRole('button', { name: 'Create bot' }));
    await waitFor(() => expect(location.pathname).toBe(`/orgs/${ORG_ID}/bots/b-new`));
    expect(api.to(CREATE).map((c) => c.body)).toEqual([{ name: 'Front desk' }]);
  });

  it('shows why a name is refused next to it', async () => {
    mockApi({
      [LIST]: () => ({ body: { items: [bot()] } }),
      [CREATE]: () => ({ status: 409, body: { type: 'about:blank', title: 'Conflict', status: 409, detail: 'Another bot has this name', errors: [{ path: 'name', message: 'Already used in this organization' }] } }),
    });
    const { user } = renderPage(<BotsPage orgId={ORG_ID} membership={membership('bot_trainer')} />);
    await user.click(screen.getByRole('button', { name: 'New bot' }));
    await user.type(screen.getByLabelText('Name'), 'Studio assistant');
    await user.click(screen.getByRole('button', { name: 'Create bot' }));
    expect((await screen.findByTestId('error-name')).textContent).toBe('Already used in this organization');
    expect(location.pathname).toBe(`/orgs/${ORG_ID}/bots`);
  });

  it('offers no new bot to a viewer', async () => {
    mockApi({ [LIST]: () => ({ body: { items: [bot()] } }) });
    renderPage(<BotsPage orgId={ORG_ID} membership={membership('viewer')} />);
    await screen.findByTestId('bot-b1');
    expect(screen.queryByRole('button', { name: 'New bot' })).toBeNull();
  });
});
