/** @jest-environment jsdom */
import { screen, waitFor, within } from '@testing-library/react';
import type { BotFields } from '../../../web/src/api/bots';
import { BotPage } from '../../../web/src/bots/BotPage';
import { membership, ORG_ID } from '../commissions/fixtures';
import { mockApi, renderPage, setUpBrowser } from '../commissions/harness';
import { bot, BOT_ID, document, invalid } from './fixtures';

jest.mock('../../../web/src/components/components.css', () => ({}));
jest.mock('../../../web/src/bots/bots.css', () => ({}));

const BOT = `/orgs/${ORG_ID}/bots/${BOT_ID}`;

beforeEach(() => {
  setUpBrowser();
  history.replaceState(null, '', BOT);
});

function open(role: 'bot_trainer' | 'viewer', routes = {}) {
  const api = mockApi({
    [`GET ${BOT}`]: () => ({ body: bot() }),
    [`GET ${BOT}/knowledge`]: () => ({ body: { items: [document('d1')] } }),
    ...routes,
  });
  return { api, ...renderPage(<BotPage orgId={ORG_ID} membership={membership(role)} botId={BOT_ID} />) };
}

describe('the bot settings', () => {
  it('shows durations in seconds and hours and saves them in milliseconds and seconds', async () => {
    const { api, user } = open('bot_trainer', {
      [`PATCH ${BOT}`]: (call: { body: unknown }) => ({ body: bot({ ...(call.body as BotFields), updatedAt: '2026-03-02T10:00:00Z' }) }),
    });
    expect(await screen.findByRole('heading', { name: 'Studio assistant' })).toBeTruthy();
    expect(screen.getByTestId('bot-model').textContent).toBe('Platform default model (the sandbox model when running with npm start)');
    const debounce = screen.getByLabelText('Reply debounce (seconds)');
    const idle = screen.getByLabelText('Idle timeout (hours)');
    expect((debounce as HTMLInputElement).value).toBe('3');
    expect((idle as HTMLInputElement).value).toBe('24');

    await user.clear(debounce);
    await user.type(debounce, '1.5');
    await user.clear(idle);
    await user.type(idle, '2');
    await user.click(screen.getByRole('radio', { name: /Automatic/ }));
    await user.click(screen.getByRole('checkbox', { name: 'WhatsApp' }));
    await user.click(screen.getByRole('checkbox', { name: 'Book an appointment' }));
    await user.type(screen.getByLabelText('Booking calendar'), ' cal-42 ');
    await user.click(screen.getByRole('button', { name: 'Save bot' }));

    await waitFor(() => expect(api.to(`PATCH ${BOT}`)).toHaveLength(1));
    expect(api.to(`PATCH ${BOT}`)[0]!.body).toMatchObject({
      mode: 'auto',
      channels: ['sms', 'web', 'whatsapp'],
      model: null,
      replyDebounceMs: 1500,
      idleTimeoutSeconds: 7200,
      maxAutoMessages: 20,
      calendarId: 'cal-42',
      guardrails: { maxToolCallsPerTurn: 4, fallbackMessage: 'A team member will get back to you.', allowedTools: ['add_tag', 'book_appointment', 'handoff_to_human'] },
    });
    expect(await screen.findByText('Bot saved')).toBeTruthy();
    expect((screen.getByLabelText('Reply debounce (seconds)') as HTMLInputElement).value).toBe('1.5');
  });

  it('saves how a goal is recognised: a tag, or a contact field', async () => {
    const { api, user } = open('bot_trainer', {
      [`PATCH ${BOT}`]: (call: { body: unknown }) => ({ body: bot({ ...(call.body as BotFields), updatedAt: '2026-03-02T10:00:00Z' }) }),
    });
    await screen.findByRole('heading', { name: 'Studio assistant' });
    const first = screen.getByRole('group', { name: 'Goal 1' });
    await user.selectOptions(within(first).getByLabelText('Reached when'), 'tag_added');
    await user.type(within(first).getByLabelText('Tag'), 'call-booked');
    await user.click(screen.getByRole('button', { name: 'Add goal' }));
    const second = screen.getByRole('group', { name: 'Goal 2' });
    await user.type(within(second).getByLabelText('Id'), 'email');
    await user.type(within(second).getByLabelText('Goal name'), 'Get their email');
    await user.selectOptions(within(second).getByLabelText('Reached when'), 'contact_field');
    await user.selectOptions(within(second).getByLabelText('Field'), 'email');
    await user.click(screen.getByRole('button', { name: 'Save bot' }));

    await waitFor(() => expect(api.to(`PATCH ${BOT}`)).toHaveLength(1));
    expect((api.to(`PATCH ${BOT}`)[0]!.body as BotFields).goals).toEqual([
      { id: 'book_call', name: 'Book a call', description: 'Offer a discovery call.', kind: 'tag_added', tag: 'call-booked' },
      { id: 'email', name: 'Get their email', description: '', kind: 'contact_field', field: 'email' },
    ]);
  });

  it('shows the API’s field error next to the goal it is about', async () => {
    const { api, user } = open('bot_trainer', { [`PATCH ${BOT}`]: () => invalid('goals.1.id', 'Letters, digits, - and _') });
    await screen.findByRole('heading', { name: 'Studio assistant' });
    await user.click(screen.getByRole('button', { name: 'Add goal' }));
    const goal = screen.getByRole('group', { name: 'Goal 2' });
    await user.type(within(goal).getByLabelText('Id'), 'book a call');
    await user.type(within(goal).getByLabelText('Goal name'), 'Book');
    await user.click(screen.getByRole('button', { name: 'Save bot' }));

    expect((await screen.findByTestId('error-goals.1.id')).textContent).toBe('Letters, digits, - and _');
    expect(within(goal).getByLabelText('Id').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toContain('Check the fields marked below.');
    expect((api.to(`PATCH ${BOT}`)[0]!.body as BotFields).goals).toEqual([
      { id: 'book_call', name: 'Book a call', description: 'Offer a discovery call.', kind: 'custom' },
      { id: 'book a call', name: 'Book', description: '', kind: 'custom' },
    ]);
  });

  it('refuses a duration that is not a number before asking the API', async () => {
    const { api, user } = open('bot_trainer');
    await screen.findByRole('heading', { name: 'Studio assistant' });
    const idle = screen.getByLabelText('Idle timeout (hours)');
    await user.clear(idle);
    await user.type(idle, 'a day');
    await user.click(screen.getByRole('button', { name: 'Save bot' }));
    expect((await screen.findByTestId('error-idleTimeoutSeconds')).textContent).toBe('Enter a number (0 or more)');
    expect(api.to(`PATCH ${BOT}`)).toHaveLength(0);
  });

  it('deletes the bot after confirmation and goes back to the list', async () => {
    const { api, user } = open('bot_trainer', { [`DELETE ${BOT}`]: () => ({ status: 204 }) });
    await screen.findByRole('heading', { name: 'Studio assistant' });
    await user.click(screen.getByRole('button', { name: 'Delete bot' }));
    expect(api.to(`DELETE ${BOT}`)).toHaveLength(0);
    await user.click(within(screen.getByRole('dialog', { name: 'Delete bot' })).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(location.pathname).toBe(`/orgs/${ORG_ID}/bots`));
    expect(api.to(`DELETE ${BOT}`)).toHaveLength(1);
  });

  it('gives a viewer read-only controls', async () => {
    const { user } = open('viewer');
    await screen.findByRole('heading', { name: 'Studio assistant' });
    // Disabled by their fieldset, as a browser sees them.
    for (const control of [screen.getByLabelText('Name'), screen.getByRole('radio', { name: /Suggest/ }), screen.getByRole('checkbox', { name: 'SMS' }), screen.getByRole('button', { name: 'Add goal' })]) {
      expect(control.matches(':disabled')).toBe(true);
    }
    expect(screen.queryByRole('button', { name: 'Save bot' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete bot' })).toBeNull();

    await user.click(screen.getByRole('tab', { name: 'Knowledge' }));
    await screen.findByTestId('document-d1');
    expect(screen.queryByRole('button', { name: 'Add to knowledge' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete Prices' })).toBeNull();
    // Reading is allowed: the chunks and the retrieval test.
    expect(screen.getByRole('button', { name: 'Show chunks of Prices' })).toBeTruthy();
    await user.click(screen.getByRole('tab', { name: 'Test retrieval' }));
    expect(screen.getByRole('button', { name: 'Search knowledge' })).toBeTruthy();
  });
});

describe('the bot page tabs', () => {
  it('keeps unsaved settings while another tab is open', async () => {
    const { user } = open('bot_trainer');
    await screen.findByRole('heading', { name: 'Studio assistant' });
    await user.type(screen.getByLabelText('Persona'), ' Uses first names.');
    await user.click(screen.getByRole('tab', { name: 'Knowledge' }));
    await screen.findByTestId('document-d1');
    await user.click(screen.getByRole('tab', { name: 'Settings' }));
    expect((screen.getByLabelText('Persona') as HTMLTextAreaElement).value).toBe('Warm and brief. Uses first names.');
    expect(screen.getByRole('tab', { name: 'Settings' }).getAttribute('aria-selected')).toBe('true');
  });
});
