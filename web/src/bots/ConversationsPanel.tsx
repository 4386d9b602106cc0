import { useState } from 'react';
import { type Conversation, getTranscript, listConversations } from '../api/bots';
import { EmptyState } from '../components/EmptyState';
import { ErrorAlert, Loading } from '../components/Notices';
import { useLoad } from '../use-load';
import { GoalState, STATUS_LABELS } from './TranscriptTrace';
import { TranscriptView } from './TranscriptView';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

/** A bot's conversations, the latest first, and the transcript of the one opened. */
export function ConversationsPanel({ orgId, botId, botModel }: { orgId: string; botId: string; botModel: string | null }) {
  const [more, setMore] = useState<{ items: Conversation[]; nextCursor: string | null }>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string>();
  const [openId, setOpenId] = useState<string>();
  const first = useLoad(
    async (signal) => {
      const page = await listConversations(orgId, botId, { limit: 50 }, signal);
      setMore(undefined);
      return page;
    },
    [orgId, botId],
  );
  const transcript = useLoad((signal) => (openId ? getTranscript(orgId, openId, signal) : Promise.resolve(undefined)), [orgId, openId]);

  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const nextCursor = more ? more.nextCursor : (first.data?.nextCursor ?? null);
  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const page = await listConversations(orgId, botId, { limit: 50, cursor: nextCursor });
      setMore((m) => ({ items: [...(m?.items ?? []), ...page.items], nextCursor: page.nextCursor }));
    } catch (e) {
      setMoreError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoadingMore(false);
    }
  };

  if (!first.data) return first.error ? <ErrorAlert message={first.error.message} /> : <Loading what="the conversations" />;
  return (
    <>
      <div className="actions">
        <button
          type="button"
          onClick={() => {
            first.reload();
            if (openId) transcript.reload();
          }}
        >
          Refresh
        </button>
      </div>
      {items.length === 0 ? (
        <EmptyState title="No conversations yet">Conversations appear here once contacts (or the simulator) write to this bot.</EmptyState>
      ) : (
        <table className="table" aria-label="Conversations">
          <thead>
            <tr>
              <th>Contact</th>
              <th>Channel</th>
              <th>Status</th>
              <th>Last message</th>
              <th className="bot-num">Messages</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id} data-testid={`conversation-${c.id}`} aria-current={openId === c.id ? 'true' : undefined}>
                <td>{c.contactName ?? 'Unnamed contact'}</td>
                <td>{c.channel}</td>
                <td>
                  <span className="tag">{STATUS_LABELS[c.status]}</span>
                </td>
                <td>{when(c.lastMessageAt)}</td>
                <td className="bot-num">{c.messageCount}</td>
                <td>
                  <button type="button" className="bot-text-button" onClick={() => setOpenId(c.id)} aria-label={`Open the transcript with ${c.contactName ?? 'this contact'}`}>
                    Transcript
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorAlert message={moreError} />
      {nextCursor && (
        <div className="actions">
          <button type="button" onClick={() => void loadMore()} disabled={loadingMore}>
            Load more
          </button>
        </div>
      )}
      {openId && (
        <section aria-label="Transcript of the conversation" style={{ marginTop: '1rem' }}>
          {!transcript.data ? (
            transcript.error ? (
              <ErrorAlert message={transcript.error.message} />
            ) : (
              <Loading what="the transcript" />
            )
          ) : (
            <>
              <h3>
                {transcript.data.conversation.contactName ?? 'Unnamed contact'} <span className="tag">{STATUS_LABELS[transcript.data.conversation.status]}</span>
              </h3>
              <GoalState state={transcript.data.conversation.goalState} />
              <TranscriptView messages={transcript.data.items} botModel={botModel} />
            </>
          )}
        </section>
      )}
    </>
  );
}
