/** @jest-environment jsdom */
import { screen, waitFor, within } from '@testing-library/react';
import type { ConversationMessage, Handoff } from '../../../web/src/api/bots';
import { HandoffQueuePage } from '../../../web/src/bots/HandoffQueuePage';
import { membership, ORG_ID, USER_ID } from '../commissions/fixtures';
import { mockApi, renderPage, setUpBrowser } from '../commissions/harness';
import { BOT_ID } from './fixtures';

jest.mock('../../../web/src/components/components.css', () => ({}));
jest.mock('../../../web/src/bots/bots.css', () => ({}));

const QUEUE = `/orgs/${ORG_ID}/conversations/handoffs`;
const conv = (id: string) => `/orgs/${ORG_ID}/conversations/${id}`;

beforeEach(() => setUpBrowser());

function handoff(id: string, changes: Partial<Handoff> = {}): Handoff {
  return {
    id,
    botId: BOT_ID,
    botName: 'Studio assistant',
    contactId: `c-${id}`,
    contactName: 'Ada Lovelace',
    channel: 'sms',
    status: 'handed_off',
    handedOffAt: '2026-03-01T10:00:00Z',
    assignedUserId: null,
    assignedToMe: false,
    lastMessage: { role: 'user', text: 'Can I talk to a person?', createdAt: '2026-03-01T10:00:00Z' },
    ...changes,
  };
}

const message = (id: string, role: ConversationMessage['role'], text: string): ConversationMessage => ({ id, role, channel: 'sms', text, toolCalls: null, trace: null, createdAt: '2026-03-01T10:00:00Z' });

describe('the handoff queue', () => {
  it('lists who waits, takes one over, replies as a person and hands it back', async () => {
    let taken = false;
    let handedBack = false;
    const transcript = [message('m1', 'user', 'Can I talk to a person?')];
    const api = mockApi({
      [`GET ${QUEUE}`]: () => ({
        body: {
          items: handedBack ? [handoff('s2', { contactName: 'Grace Hopper', assignedUserId: 'u-other' })] : [handoff('s1', taken ? { assignedUserId: USER_ID, assignedToMe: true } : {}), handoff('s2', { contactName: 'Grace Hopper', assignedUserId: 'u-other' })],
          nextCursor: null,
        },
      }),
      [`POST ${conv('s1')}/take-over`]: () => {
        taken = true;
        return { body: handoff('s1', { assignedUserId: USER_ID, assignedToMe: true }) };
      },
      [`GET ${conv('s1')}/messages`]: () => ({ body: { conversation: { id: 's1' }, items: transcript } }),
      [`POST ${conv('s1')}/reply`]: (call) => {
        const text = (call.body as { text: string }).text;
        const sent = message('m2', 'human_agent', text);
        transcript.push(sent);
        return { status: 201, body: { message: sent, delivery: 'queued', duplicate: false } };
      },
      [`POST ${conv('s1')}/hand-back`]: () => {
        handedBack = true;
        return { body: { id: 's1', status: 'active' } };
      },
    });
    const { user } = renderPage(<HandoffQueuePage orgId={ORG_ID} membership={membership('bot_trainer')} />);

    const first = await screen.findByTestId('handoff-s1');
    expect(first.textContent).toContain('Ada Lovelace');
    expect(first.textContent).toContain('Studio assistant');
    expect(first.textContent).toContain('Contact: Can I talk to a person?');
    expect(first.textContent).toContain('Nobody yet');
    // Someone else has the second one: no take over button for it.
    const second = screen.getByTestId('handoff-s2');
    expect(second.textContent).toContain('Another team member');
    expect(within(second).queryByRole('button', { name: 'Take over' })).toBeNull();

    await user.click(within(first).getByRole('button', { name: 'Take over' }));
    await waitFor(() => expect(screen.getByTestId('handoff-s1').textContent).toContain('You'));
    expect(api.to(`POST ${conv('s1')}/take-over`)).toHaveLength(1);
    const panel = await screen.findByRole('region', { name: 'Conversation with Ada Lovelace' });
    await within(panel).findByText('Can I talk to a person?');

    await user.type(within(panel).getByLabelText('Your reply'), 'Hi Ada, Morgan here.');
    await user.click(within(panel).getByRole('button', { name: 'Send reply' }));
    await within(panel).findByText('Hi Ada, Morgan here.');
    const [sent] = api.to(`POST ${conv('s1')}/reply`);
    expect(sent!.body).toEqual({ text: 'Hi Ada, Morgan here.', idempotencyKey: expect.any(String) });
    expect((within(panel).getByLabelText('Your reply') as HTMLTextAreaElement).value).toBe('');

    await user.click(within(screen.getByTestId('handoff-s1')).getByRole('button', { name: 'Hand back' }));
    await waitFor(() => expect(screen.queryByTestId('handoff-s1')).toBeNull());
    expect(api.to(`POST ${conv('s1')}/hand-back`)).toHaveLength(1);
    expect(screen.queryByRole('region', { name: 'Conversation with Ada Lovelace' })).toBeNull();
  });

  it('shows a viewer the queue without the actions', async () => {
    mockApi({ [`GET ${QUEUE}`]: () => ({ body: { items: [handoff('s1')], nextCursor: null } }) });
    renderPage(<HandoffQueuePage orgId={ORG_ID} membership={membership('viewer')} />);
    const row = await screen.findByTestId('handoff-s1');
    expect(within(row).queryByRole('button', { name: 'Take over' })).toBeNull();
    expect(within(row).queryByRole('button', { name: 'Hand back' })).toBeNull();
  });
});
