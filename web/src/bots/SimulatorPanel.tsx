import { useState } from 'react';
import { type ChatReply, chatWithBot, type ConversationStatus, getTranscript, listConversations, type ReplyTrace } from '../api/bots';
import { type Contact, listContacts } from '../api/contacts';
import { EmptyState } from '../components/EmptyState';
import { SelectField, TextField } from '../components/Field';
import { ErrorAlert, Loading } from '../components/Notices';
import { useLoad } from '../use-load';
import { InputError, useSubmit } from '../use-submit';
import { modelLabel } from './labels';
import { STATUS_LABELS, TranscriptTrace } from './TranscriptTrace';
import { Bubble } from './TranscriptView';

interface Exchange {
  key: number;
  text: string;
  result: ChatReply;
  /** undefined while loading; null when no trace was recorded. */
  trace?: ReplyTrace | null;
  /** The conversation's goal state when the reply was read back. */
  goalState?: Record<string, unknown>;
  traceError?: string;
}

const contactLabel = (c: Contact) => c.name || [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || c.phone || c.id;

/** The reply that followed the contact's message `messageId`, found in the contact's latest sessions. */
async function findReplyTrace(orgId: string, botId: string, contactId: string, messageId: string): Promise<{ trace: ReplyTrace | null; goalState?: Record<string, unknown> }> {
  const sessions = await listConversations(orgId, botId, { contactId, limit: 5 });
  for (const session of sessions.items) {
    const { conversation, items } = await getTranscript(orgId, session.id);
    const at = items.findIndex((m) => m.id === messageId);
    if (at < 0) continue;
    const reply = items.slice(at + 1).find((m) => m.role === 'assistant');
    return { trace: reply?.trace ?? null, goalState: conversation.goalState };
  }
  return { trace: null };
}

/**
 * Chat with the bot as one of the organization's contacts: each message goes through the real
 * conversation (the same workflow a contact's SMS reaches), and each reply shows why it was made.
 */
export function SimulatorPanel({ orgId, botId, botModel }: { orgId: string; botId: string; botModel: string | null }) {
  const contacts = useLoad((signal) => listContacts(orgId, { limit: 200 }, signal), [orgId]);
  const [contactId, setContactId] = useState('');
  const [calendarId, setCalendarId] = useState('');
  const [text, setText] = useState('');
  const [exchanges, setExchanges] = useState<Exchange[]>([]);
  const [status, setStatus] = useState<ConversationStatus>();

  const update = (key: number, changes: Partial<Exchange>) => setExchanges((all) => all.map((e) => (e.key === key ? { ...e, ...changes } : e)));

  const form = useSubmit(['contactId', 'text', 'calendarId'], async () => {
    if (!contactId) throw new InputError({ contactId: 'Pick a test contact' });
    if (!text.trim()) throw new InputError({ text: 'Say something' });
    const sent = text;
    const result = await chatWithBot(orgId, botId, { contactId, text: sent, ...(calendarId.trim() ? { calendarId: calendarId.trim() } : {}) });
    const key = Date.now() + Math.random();
    setExchanges((all) => [...all, { key, text: sent, result, ...(result.reply === null ? { trace: null } : {}) }]);
    setStatus(result.status);
    setText('');
    if (result.reply === null) return;
    findReplyTrace(orgId, botId, contactId, result.messageId).then(
      (found) => update(key, found),
      (e: unknown) => update(key, { trace: null, traceError: e instanceof Error ? e.message : String(e) }),
    );
  });

  if (!contacts.data) return contacts.error ? <ErrorAlert message={contacts.error.message} /> : <Loading what="the contacts" />;
  const pick = (id: string) => {
    setContactId(id);
    setExchanges([]);
    setStatus(undefined);
  };

  return (
    <div className="bot-simulator" style={{ display: 'flex', flexDirection: 'column', gap: '0.75rem' }}>
      <p className="muted" data-testid="simulator-model">
        Model: {modelLabel(botModel)}
      </p>
      {contacts.data.items.length === 0 ? (
        <EmptyState title="No contacts to test with">Connect GoHighLevel and sync contacts (or add one) to chat with the bot as a contact.</EmptyState>
      ) : (
        <>
          <div className="bot-row">
            <SelectField label="Test contact" name="contactId" value={contactId} onChange={(e) => pick(e.target.value)} error={form.fieldErrors.contactId}>
              <option value="">Pick a contact…</option>
              {contacts.data.items.map((c) => (
                <option key={c.id} value={c.id}>
                  {contactLabel(c)}
                </option>
              ))}
            </SelectField>
            <TextField
              label="Calendar id (optional)"
              name="calendarId"
              autoComplete="off"
              value={calendarId}
              onChange={(e) => setCalendarId(e.target.value)}
              error={form.fieldErrors.calendarId}
              hint="The GHL calendar the booking tools use."
            />
          </div>
          <p data-testid="conversation-status">
            Conversation: <span className="tag">{status ? STATUS_LABELS[status] : 'Not started'}</span>
          </p>
          <div className="bot-chat" role="log" aria-label="Simulator chat" style={{ display: 'flex', flexDirection: 'column', gap: '0.5rem', border: '1px solid var(--border)', borderRadius: '10px', padding: '0.75rem', minHeight: '6rem' }}>
            {exchanges.length === 0 && <p className="muted">Write as the contact: the bot answers as it would on a real channel.</p>}
            {exchanges.map((e) => (
              <div key={e.key} style={{ display: 'flex', flexDirection: 'column', gap: '0.4rem' }}>
                <Bubble from="contact">{e.text}</Bubble>
                {e.result.reply === null ? (
                  <Bubble from="person" testId="handed-off">
                    {e.result.status === 'closed' ? 'This conversation is closed.' : 'A person has this conversation: the bot does not answer until it is handed back.'}
                  </Bubble>
                ) : (
                  <Bubble from="bot" testId="bot-reply">
                    {e.result.reply}
                    {e.trace === undefined ? (
                      <p className="muted bot-small">Loading why this reply…</p>
                    ) : (
                      <>
                        {e.traceError && <ErrorAlert message={`Could not load the trace: ${e.traceError}`} />}
                        <TranscriptTrace trace={e.trace} botModel={botModel} goalState={e.goalState} />
                      </>
                    )}
                  </Bubble>
                )}
              </div>
            ))}
          </div>
          <form className="form" aria-label="Chat as the contact" onSubmit={form.onSubmit} noValidate>
            <ErrorAlert message={form.error} />
            <TextField label="Message" name="text" autoComplete="off" placeholder="Hi! Do you travel for weddings?" value={text} onChange={(e) => setText(e.target.value)} error={form.fieldErrors.text} />
            <div className="actions">
              <button type="submit" className="btn-primary" disabled={form.busy}>
                {form.busy ? 'Sending…' : 'Send'}
              </button>
            </div>
          </form>
        </>
      )}
    </div>
  );
}
