import { useState } from 'react';
import { type RetrievedChunk, searchKnowledge } from '../api/bots';
import { EmptyState } from '../components/EmptyState';
import { TextField } from '../components/Field';
import { ErrorAlert } from '../components/Notices';
import { InputError, useSubmit } from '../use-submit';

const EXCERPT_CHARS = 400;
const excerpt = (text: string) => (text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS).trimEnd()}…` : text);

/** A contact's question against the knowledge base: the chunks the bot would read, best first. */
export function RetrievalPanel({ orgId, botId }: { orgId: string; botId: string }) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<{ query: string; items: RetrievedChunk[] }>();
  const form = useSubmit(['query'], async () => {
    if (!query.trim()) throw new InputError({ query: 'Type a question' });
    const { items } = await searchKnowledge(orgId, botId, query);
    setResults({ query, items });
  });

  return (
    <>
      <form className="form" role="search" aria-label="Test retrieval" onSubmit={form.onSubmit} noValidate>
        <ErrorAlert message={form.error} />
        <TextField
          label="Ask something your contacts would ask"
          name="query"
          autoComplete="off"
          placeholder="Do you travel for weddings?"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          error={form.fieldErrors.query}
          hint="Shows what the bot would read before answering: if the answer is not among these, add it to the knowledge."
        />
        <div className="actions">
          <button type="submit" className="btn-primary" disabled={form.busy}>
            Search knowledge
          </button>
        </div>
      </form>
      {results &&
        (results.items.length === 0 ? (
          <EmptyState title="Nothing in the knowledge base matches">The bot would answer “{results.query}” without any of its documents.</EmptyState>
        ) : (
          <ol className="bot-results" aria-label="Retrieved chunks">
            {results.items.map((r) => (
              <li key={r.chunkId} data-testid={`result-${r.chunkId}`}>
                <div className="bot-result-head">
                  <strong>{r.heading ?? r.title}</strong>
                  <span className="tag" title="Relevance: higher is better">
                    score {r.score.toFixed(3)}
                  </span>
                </div>
                {r.heading && <div className="muted bot-small">{r.title}</div>}
                <p className="bot-excerpt">{excerpt(r.content)}</p>
              </li>
            ))}
          </ol>
        ))}
    </>
  );
}
