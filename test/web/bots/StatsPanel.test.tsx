/** @jest-environment jsdom */
import { screen, waitFor } from '@testing-library/react';
import type { BotStats } from '../../../web/src/api/bots';
import { BotPage } from '../../../web/src/bots/BotPage';
import { membership, ORG_ID } from '../commissions/fixtures';
import { mockApi, renderPage, setUpBrowser } from '../commissions/harness';
import { bot, BOT_ID } from './fixtures';

jest.mock('../../../web/src/components/components.css', () => ({}));
jest.mock('../../../web/src/bots/bots.css', () => ({}));

const BOT = `/orgs/${ORG_ID}/bots/${BOT_ID}`;

beforeEach(() => setUpBrowser());

function stats(days: number | null, total: number): BotStats {
  return {
    botId: BOT_ID,
    days,
    conversations: { total, active: 1, handedOff: 1, closed: total - 2 },
    goals: { completed: 1, completionRate: 1 / total, byGoal: [{ id: 'book_call', name: 'Book a call', reached: 1 }] },
    handoffs: 2,
    messages: { total: 12, contact: 6, bot: 5, human: 1 },
  };
}

describe('the bot stats tab', () => {
  it("shows the bot's numbers for the period picked", async () => {
    const api = mockApi({
      [`GET ${BOT}`]: () => ({ body: bot() }),
      [`GET ${BOT}/stats`]: (call) => ({ body: call.query.get('days') ? stats(Number(call.query.get('days')), 3) : stats(null, 8) }),
    });
    const { user } = renderPage(<BotPage orgId={ORG_ID} membership={membership('viewer')} botId={BOT_ID} />);
    await user.click(await screen.findByRole('tab', { name: 'Stats' }));

    expect((await screen.findByTestId('stat-conversations')).textContent).toBe('3');
    expect(screen.getByTestId('stat-goal-completion').textContent).toBe('33.3%');
    expect(screen.getByTestId('stat-handoffs').textContent).toBe('2');
    expect(screen.getByTestId('stat-messages').textContent).toBe('12');
    expect(screen.getByRole('table', { name: 'Goals reached' }).textContent).toContain('Book a call');
    expect(api.to(`GET ${BOT}/stats`)[0]!.query.get('days')).toBe('30');

    await user.selectOptions(screen.getByLabelText('Period'), 'All time');
    await waitFor(() => expect(screen.getByTestId('stat-conversations').textContent).toBe('8'));
    expect(screen.getByTestId('stat-goal-completion').textContent).toBe('12.5%');
    expect(api.to(`GET ${BOT}/stats`).at(-1)!.query.has('days')).toBe(false);
  });

  it('is not offered to a role that may not read conversations', async () => {
    mockApi({ [`GET ${BOT}`]: () => ({ body: bot() }) });
    renderPage(<BotPage orgId={ORG_ID} membership={membership('viewer', ['bots:read'])} botId={BOT_ID} />);
    await screen.findByRole('tab', { name: 'Settings' });
    expect(screen.queryByRole('tab', { name: 'Stats' })).toBeNull();
  });
});
