import type { ReactNode } from 'react';
import type { ConversationMessage } from '../api/bots';
import { TranscriptTrace } from './TranscriptTrace';

const AUTHORS: Record<ConversationMessage['role'], string> = { user: 'Contact', assistant: 'Bot', human_agent: 'Team member', system: 'System', tool: 'Tool' };

/** One chat bubble: the contact's on the right, the bot's and people's on the left. */
export function Bubble({ from, children, testId }: { from: 'contact' | 'bot' | 'person' | 'system'; children: ReactNode; testId?: string }) {
  const mine = from === 'contact';
  return (
    <div
      data-testid={testId}
      className={`bot-bubble bot-bubble-${from}`}
      style={{
        alignSelf: mine ? 'flex-end' : 'flex-start',
        maxWidth: '80%',
        background: mine ? '#e0e7ff' : from === 'bot' ? '#f1f5f9' : '#fef3c7',
        borderRadius: '10px',
        padding: '0.4rem 0.7rem',
        whiteSpace: 'pre-wrap',
      }}
    >
      {children}
    </div>
  );
}

/** A session's transcript in order, each bot reply with its "Why this reply". */
export function TranscriptView({ messages, botModel }: { messages: ConversationMessage[]; botModel?: string | null }) {
  if (messages.length === 0) return <p className="muted">No messages yet.</p>;
  return (
    <div className="bot-transcript" aria-label="Transcript" role="log" style={{ display: 'flex', flexDirection: 'column', gap: '0.5rem' }}>
      {messages.map((m) => (
        <Bubble key={m.id} from={m.role === 'user' ? 'contact' : m.role === 'assistant' ? 'bot' : m.role === 'human_agent' ? 'person' : 'system'} testId={`message-${m.id}`}>
          <div className="muted bot-small">
            {AUTHORS[m.role]}
            {m.suggested && ' (suggestion, not sent)'} · <time dateTime={m.createdAt}>{new Date(m.createdAt).toLocaleString()}</time>
          </div>
          {m.text}
          {m.role === 'assistant' && <TranscriptTrace trace={m.trace} botModel={botModel} />}
        </Bubble>
      ))}
    </div>
  );
}
