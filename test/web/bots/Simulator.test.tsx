/** @jest-environment jsdom */
import { screen, waitFor, within } from '@testing-library/react';
import type { ChatReply, Conversation, ConversationMessage } from '../../../web/src/api/bots';
import type { Contact } from '../../../web/src/api/contacts';
import { BotPage } from '../../../web/src/bots/BotPage';
import { PLATFORM_MODEL } from '../../../web/src/bots/labels';
import { membership, ORG_ID } from '../commissions/fixtures';
import { type ApiCall, mockApi, renderPage, setUpBrowser } from '../commissions/harness';
import { bot, BOT_ID } from './fixtures';

jest.mock('../../../web/src/components/components.css', () => ({}));
jest.mock('../../../web/src/bots/bots.css', () => ({}));

const BOT = `/orgs/${ORG_ID}/bots/${BOT_ID}`;
const SESSION = 's1';

beforeEach(() => setUpBrowser());

function contact(id: string, name: string): Contact {
  return {
    id,
    ghlContactId: `g-${id}`,
    firstName: null,
    lastName: null,
    name,
    email: null,
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
  };
}

function session(changes: Partial<Conversation> = {}): Conversation {
  return {
    id: SESSION,
    botId: BOT_ID,
    contactId: 'c1',
    contactName: 'Ada Lovelace',
    channel: 'web',
    status: 'active',
    lastMessageAt: '2026-03-01T10:00:02Z',
    messageCount: 2,
    goalState: {},
    createdAt: '2026-03-01T10:00:00Z',
    ...changes,
  };
}

const TRACE = {
  prompt: [{ role: 'system', content: 'You are Studio assistant.' }],
  retrieved: [{ chunkId: 'chunk-1', score: 0.8123, heading: 'Do you travel?' }],
  toolCalls: [{ id: 'call_1', name: 'add_tag', arguments: { tag: 'wedding' }, result: { ok: true } }],
  model: 'sandbox-model',
};

function message(id: string, role: ConversationMessage['role'], text: string, trace: ConversationMessage['trace'] = null): ConversationMessage {
  return { id, role, channel: 'web', text, toolCalls: null, trace, createdAt: '2026-03-01T10:00:00Z' };
}

async function openSimulator(chat: (call: ApiCall) => { status?: number; body?: ChatReply | unknown }, transcript: ConversationMessage[] = []) {
  const api = mockApi({
    [`GET ${BOT}`]: () => ({ body: bot() }),
    [`GET /orgs/${ORG_ID}/contacts`]: () => ({ body: { items: [contact('c1', 'Ada Lovelace'), contact('c2', 'Grace Hopper')], nextCursor: null } }),
    [`POST ${BOT}/chat`]: chat,
    [`GET ${BOT}/conversations`]: () => ({ body: { items: [session()], nextCursor: null } }),
    [`GET /orgs/${ORG_ID}/conversations/${SESSION}/messages`]: () => ({ body: { conversation: session({ goalState: { book_call: { reached: false } } }), items: transcript } }),
  });
  const page = renderPage(<BotPage orgId={ORG_ID} membership={membership('bot_trainer')} botId={BOT_ID} />);
  await page.user.click(await screen.findByRole('tab', { name: 'Simulator' }));
  await page.user.selectOptions(await screen.findByLabelText('Test contact'), 'c1');
  return { api, ...page };
}

describe('the bot simulator', () => {
  it("sends a message as the contact, shows the bot's reply and why it was made", async () => {
    const { api, user } = await openSimulator(() => ({ body: { reply: 'Yes, anywhere in the state. [sandbox model]', messageId: 'm1', status: 'active' } }), [
      message('m0', 'user', 'Earlier'),
      message('m0r', 'assistant', 'Earlier reply', { model: 'other' }),
      message('m1', 'user', 'Do you travel?'),
      message('m2', 'assistant', 'Yes, anywhere in the state. [sandbox model]', TRACE),
    ]);
    expect(screen.getByTestId('simulator-model').textContent).toContain(PLATFORM_MODEL);
    await user.type(screen.getByLabelText('Calendar id (optional)'), 'cal-1');
    await user.type(screen.getByLabelText('Message'), 'Do you travel?');
    await user.click(screen.getByRole('button', { name: 'Send' }));

    const reply = await screen.findByTestId('bot-reply');
    expect(reply.textContent).toContain('Yes, anywhere in the state. [sandbox model]');
    expect(api.to(`POST ${BOT}/chat`).map((c) => c.body)).toEqual([{ contactId: 'c1', text: 'Do you travel?', calendarId: 'cal-1' }]);
    expect(screen.getByTestId('conversation-status').textContent).toContain('Active');
    expect((screen.getByLabelText('Message') as HTMLInputElement).value).toBe('');

    // The trace of the reply that followed this message (not the earlier one), found by contact.
    const trace = await within(reply).findByTestId('reply-trace');
    expect(api.to(`GET ${BOT}/conversations`)[0]!.query.get('contactId')).toBe('c1');
    await user.click(within(trace).getByText('Why this reply'));
    expect(within(trace).getByTestId('trace-model').textContent).toContain('sandbox-model');
    expect(within(trace).getByTestId('trace-model').textContent).toContain(PLATFORM_MODEL);
    const chunk = within(trace).getByTestId('trace-chunk-chunk-1');
    expect(chunk.textContent).toContain('Do you travel?');
    expect(chunk.textContent).toContain('score 0.812');
    const tool = within(trace).getByTestId('trace-tool-add_tag');
    expect(tool.textContent).toContain('"tag": "wedding"');
    expect(tool.textContent).toContain('"ok": true');
    expect(within(trace).queryByTestId('trace-error')).toBeNull();
    expect(within(trace).getByTestId('goal-state').textContent).toContain('"reached": false');
  });

  it('shows the error and the fallback when the model failed', async () => {
    const { user } = await openSimulator(() => ({ body: { reply: 'A team member will get back to you.', messageId: 'm1', status: 'active' } }), [
      message('m1', 'user', 'Hello'),
      message('m2', 'assistant', 'A team member will get back to you.', { model: 'gpt-x', retrieved: [], toolCalls: [], error: 'connection refused', fallback: true }),
    ]);
    await user.type(screen.getByLabelText('Message'), 'Hello');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    const trace = await within(await screen.findByTestId('bot-reply')).findByTestId('reply-trace');
    expect(within(trace).getByTestId('trace-error').textContent).toBe('Fallback message sent: connection refused');
    expect(within(trace).getByText('No knowledge chunk was retrieved.')).toBeTruthy();
    expect(within(trace).getByText('No tool was called.')).toBeTruthy();
  });

  it('says a person has the conversation when the bot does not answer (handed off)', async () => {
    const { api, user } = await openSimulator(() => ({ body: { reply: null, messageId: 'm3', status: 'handed_off' } }));
    await user.type(screen.getByLabelText('Message'), 'Still there?');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect((await screen.findByTestId('handed-off')).textContent).toContain('A person has this conversation');
    expect(screen.getByTestId('conversation-status').textContent).toContain('Handed off');
    expect(screen.queryByTestId('bot-reply')).toBeNull();
    // No trace to look for.
    expect(api.to(`GET ${BOT}/conversations`)).toHaveLength(0);
  });

  it('asks for a contact and a message before sending, and shows what the API refused', async () => {
    const { api, user } = await openSimulator(() => ({ status: 409, body: { type: 'about:blank', title: 'Conflict', status: 409, detail: 'The bot did not take the message: closed' } }));
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(await screen.findByText('Say something')).toBeTruthy();
    await user.type(screen.getByLabelText('Message'), 'Hi');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('The bot did not take the message'));
    expect(api.to(`POST ${BOT}/chat`)).toHaveLength(1);
  });
});

describe('the conversations tab', () => {
  it("lists the bot's sessions and opens a transcript with each reply's trace", async () => {
    const api = mockApi({
      [`GET ${BOT}`]: () => ({ body: bot({ model: 'gpt-4o-mini' }) }),
      [`GET ${BOT}/conversations`]: () => ({ body: { items: [session({ status: 'handed_off', messageCount: 2 })], nextCursor: null } }),
      [`GET /orgs/${ORG_ID}/conversations/${SESSION}/messages`]: () => ({
        body: { conversation: session({ status: 'handed_off' }), items: [message('m1', 'user', 'Do you travel?'), message('m2', 'assistant', 'Yes we do.', TRACE)] },
      }),
    });
    const { user } = renderPage(<BotPage orgId={ORG_ID} membership={membership('viewer')} botId={BOT_ID} />);
    // A viewer reads conversations but may not chat.
    await user.click(await screen.findByRole('tab', { name: 'Conversations' }));
    expect(screen.queryByRole('tab', { name: 'Simulator' })).toBeNull();
    const row = await screen.findByTestId(`conversation-${SESSION}`);
    expect(within(row).getAllByRole('cell').map((c) => c.textContent).slice(0, 3)).toEqual(['Ada Lovelace', 'web', 'Handed off']);
    await user.click(within(row).getByRole('button', { name: /transcript/i }));
    const reply = await screen.findByTestId('message-m2');
    expect(reply.textContent).toContain('Yes we do.');
    expect(within(reply).getByTestId('trace-model').textContent).toBe('Model: sandbox-model');
    expect(screen.getByTestId('message-m1').textContent).toContain('Do you travel?');
    expect(screen.getByTestId('goal-state').textContent).toBe('Goal state: nothing recorded yet');
    expect(api.to(`GET /orgs/${ORG_ID}/conversations/${SESSION}/messages`)).toHaveLength(1);
  });
});
