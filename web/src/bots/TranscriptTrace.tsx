import type { ConversationStatus, ReplyTrace } from '../api/bots';
import { PLATFORM_MODEL } from './labels';

export const STATUS_LABELS: Record<ConversationStatus, string> = { active: 'Active', handed_off: 'Handed off', closed: 'Closed' };

const json = (value: unknown) => {
  try {
    return JSON.stringify(value, null, 2) ?? 'null';
  } catch {
    return String(value);
  }
};

const pre = { whiteSpace: 'pre-wrap', margin: '0.25rem 0 0', fontSize: '0.8rem' } as const;

/**
 * "Why this reply": what the bot read (retrieved chunks), did (tool calls with their results),
 * which model answered, and what went wrong when the fallback message was sent.
 * `botModel` is the bot's own model setting: null means the platform default.
 */
/** The goals the conversation reached so far (by goal id), or that none is recorded. */
export function GoalState({ state }: { state: Record<string, unknown> }) {
  const entries = Object.entries(state);
  return (
    <div data-testid="goal-state">
      <strong>Goal state:</strong>{' '}
      {entries.length === 0 ? (
        <span className="muted">nothing recorded yet</span>
      ) : (
        <pre style={pre}>{json(state)}</pre>
      )}
    </div>
  );
}

export function TranscriptTrace({ trace, botModel, goalState }: { trace: ReplyTrace | null | undefined; botModel?: string | null; goalState?: Record<string, unknown> }) {
  if (!trace) {
    return (
      <details className="bot-trace">
        <summary>Why this reply</summary>
        <p className="muted bot-small">No trace was recorded for this reply.</p>
      </details>
    );
  }
  const retrieved = trace.retrieved ?? [];
  const toolCalls = trace.toolCalls ?? [];
  const prompt = trace.prompt ?? [];
  return (
    <details className="bot-trace" data-testid="reply-trace">
      <summary>Why this reply</summary>
      <div className="bot-small" style={{ display: 'flex', flexDirection: 'column', gap: '0.5rem', marginTop: '0.4rem' }}>
        {(trace.error || trace.fallback) && (
          <div className="bot-notice" role="note" data-testid="trace-error">
            <strong>{trace.fallback ? 'Fallback message sent' : 'Error'}</strong>
            {trace.error && <>: {trace.error}</>}
          </div>
        )}
        <div data-testid="trace-model">
          <strong>Model:</strong> {trace.model ?? 'unknown'}
          {botModel === null && <span className="muted"> · {PLATFORM_MODEL}</span>}
        </div>
        <div>
          <strong>Retrieved knowledge</strong>
          {retrieved.length === 0 ? (
            <p className="muted" style={{ margin: 0 }}>
              No knowledge chunk was retrieved.
            </p>
          ) : (
            <ol aria-label="Retrieved chunks" style={{ margin: '0.25rem 0 0', paddingLeft: '1.25rem' }}>
              {retrieved.map((r) => (
                <li key={r.chunkId} data-testid={`trace-chunk-${r.chunkId}`}>
                  {r.heading ? <strong>{r.heading}</strong> : null} <code>{r.chunkId}</code>{' '}
                  <span className="tag" title="Relevance: higher is better">
                    score {Number(r.score).toFixed(3)}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </div>
        <div>
          <strong>Tool calls</strong>
          {toolCalls.length === 0 ? (
            <p className="muted" style={{ margin: 0 }}>
              No tool was called.
            </p>
          ) : (
            <ol aria-label="Tool calls" style={{ margin: '0.25rem 0 0', paddingLeft: '1.25rem' }}>
              {toolCalls.map((c, i) => (
                <li key={c.id ?? i} data-testid={`trace-tool-${c.name}`}>
                  <code>{c.name}</code>
                  <div>Arguments:</div>
                  <pre style={pre}>{json(c.arguments)}</pre>
                  <div>Result:</div>
                  <pre style={pre}>{json(c.result)}</pre>
                </li>
              ))}
            </ol>
          )}
        </div>
        {goalState && <GoalState state={goalState} />}
        {prompt.length > 0 && (
          <details>
            <summary>Prompt ({prompt.length} message{prompt.length === 1 ? '' : 's'})</summary>
            <ol style={{ margin: '0.25rem 0 0', paddingLeft: '1.25rem' }}>
              {prompt.map((m, i) => (
                <li key={i}>
                  <strong>{m.role}</strong>
                  <pre style={pre}>{m.content ?? ''}</pre>
                </li>
              ))}
            </ol>
          </details>
        )}
      </div>
    </details>
  );
}
