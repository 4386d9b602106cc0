import { useState } from 'react';
import { getTranscript, handBack, type Handoff, listHandoffs, replyAsPerson, takeOver } from '../api/bots';
import type { Membership } from '../api/types';
import { EmptyState } from '../components/EmptyState';
import { LoadMore } from '../components/LoadMore';
import { ErrorAlert, Loading } from '../components/Notices';
import { useToast } from '../components/Toasts';
import { may } from '../permissions';
import { Link } from '../router';
import { useLoad } from '../use-load';
import { usePaged } from '../use-paged';
import { useTitle } from '../use-title';
import { botPath } from './paths';
import { TranscriptView } from './TranscriptView';
import './bots.css';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');
// crypto.randomUUID needs a secure context (https or localhost): elsewhere a random key does.
const newReplyKey = () => (typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);
const AUTHORS = { user: 'Contact', assistant: 'Bot', human_agent: 'Team member', system: 'System', tool: 'Tool' } as const;

/** `/orgs/:orgId/handoffs`: conversations the bots handed to people, the longest waiting first. */
export function HandoffQueuePage({ orgId, membership }: { orgId: string; membership: Membership }) {
  useTitle('Handoffs');
  const toast = useToast();
  const canAct = may(membership, 'conversations', 'update');
  const list = usePaged((cursor, signal) => listHandoffs(orgId, { cursor, limit: 50 }, signal), [orgId]);
  const [openId, setOpenId] = useState<string>();
  const [busy, setBusy] = useState<string>();

  const act = async (h: Handoff, what: 'take' | 'back') => {
    setBusy(h.id);
    try {
      if (what === 'take') {
        await takeOver(orgId, h.id);
        toast.success('You have the conversation', `The bot stays silent with ${h.contactName ?? 'this contact'} until you hand it back.`);
        setOpenId(h.id);
      } else {
        await handBack(orgId, h.id);
        toast.success('Handed back to the bot', h.botName);
        if (openId === h.id) setOpenId(undefined);
      }
      list.reload();
    } catch (e) {
      toast.error(e, what === 'take' ? 'Could not take the conversation over' : 'Could not hand the conversation back');
    } finally {
      setBusy(undefined);
    }
  };

  const open = list.items.find((h) => h.id === openId);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Handoffs</h1>
          <p className="muted">Conversations a bot handed to your team. Take one over to answer the contact yourself, then hand it back to the bot.</p>
        </div>
        <button type="button" onClick={list.reload}>
          Refresh
        </button>
      </div>
      <ErrorAlert message={list.error?.message} />
      {list.items.length === 0 ? (
        list.loading ? <Loading what="the handoffs" /> : <EmptyState title="Nobody is waiting">Conversations appear here when a bot hands them to a person.</EmptyState>
      ) : (
        <table className="table" aria-label="Handoffs">
          <thead>
            <tr>
              <th>Contact</th>
              <th>Bot</th>
              <th>Channel</th>
              <th>Handed off</th>
              <th>Last message</th>
              <th>With</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.items.map((h) => (
              <tr key={h.id} data-testid={`handoff-${h.id}`} aria-current={openId === h.id ? 'true' : undefined}>
                <td>{h.contactName ?? 'Unnamed contact'}</td>
                <td>
                  <Link to={botPath(orgId, h.botId)}>{h.botName}</Link>
                </td>
                <td>{h.channel}</td>
                <td>{when(h.handedOffAt)}</td>
                <td>{h.lastMessage ? `${AUTHORS[h.lastMessage.role]}: ${h.lastMessage.text.slice(0, 120)}` : '—'}</td>
                <td>{h.assignedToMe ? 'You' : h.assignedUserId ? 'Another team member' : 'Nobody yet'}</td>
                <td className="actions">
                  <button type="button" className="bot-text-button" onClick={() => setOpenId(h.id)}>
                    Open
                  </button>
                  {canAct && !h.assignedToMe && !h.assignedUserId && (
                    <button type="button" disabled={busy === h.id} onClick={() => void act(h, 'take')}>
                      Take over
                    </button>
                  )}
                  {canAct && (
                    <button type="button" disabled={busy === h.id} onClick={() => void act(h, 'back')}>
                      Hand back
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <LoadMore list={list} />
      {open && <HandoffConversation key={open.id} orgId={orgId} handoff={open} canReply={canAct} onReplied={list.reload} />}
    </>
  );
}

/** One handed-off conversation: its transcript and the person's reply box. */
function HandoffConversation({ orgId, handoff, canReply, onReplied }: { orgId: string; handoff: Handoff; canReply: boolean; onReplied: () => void }) {
  const toast = useToast();
  const transcript = useLoad((signal) => getTranscript(orgId, handoff.id, signal), [orgId, handoff.id]);
  const [text, setText] = useState('');
  // One key per reply written: a retry after a lost answer sends the same reply once.
  const [key, setKey] = useState(newReplyKey);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();

  const send = async () => {
    setSending(true);
    setError(undefined);
    try {
      const sent = await replyAsPerson(orgId, handoff.id, text, key);
      toast.success('Reply sent', sent.delivery === 'queued' ? `On its way to the contact by ${handoff.channel}.` : 'The contact sees it in the chat.');
      setText('');
      setKey(newReplyKey());
      transcript.reload();
      onReplied();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setSending(false);
    }
  };

  return (
    <section className="panel" aria-label={`Conversation with ${handoff.contactName ?? 'the contact'}`} style={{ marginTop: '1rem' }}>
      <h2>{handoff.contactName ?? 'Unnamed contact'}</h2>
      {!transcript.data ? transcript.error ? <ErrorAlert message={transcript.error.message} /> : <Loading what="the transcript" /> : <TranscriptView messages={transcript.data.items} />}
      {canReply && (
        <form
          className="bot-reply"
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) void send();
          }}
        >
          <label className="field">
            <span>Your reply</span>
            <textarea value={text} onChange={(e) => setText(e.target.value)} rows={3} maxLength={4000} />
          </label>
          <ErrorAlert message={error} />
          <div className="actions">
            <button type="submit" className="btn-primary" disabled={sending || !text.trim()}>
              Send reply
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
