import { useEffect, useRef, useState } from 'react';
import { navigate } from '../router';
import type { ContactFilters } from './format';

// Filter as the user types, once they pause.
const DEBOUNCE_MS = 300;

/** Sets one query parameter of the current URL, keeping the others (replace: filtering is not navigation). */
function setParam(name: string, value: string) {
  const params = new URLSearchParams(location.search);
  if (value) params.set(name, value);
  else params.delete(name);
  navigate(location.pathname + (params.size ? `?${params}` : ''), { replace: true });
}

/**
 * A text box whose value reaches the URL after a pause. The URL stays the truth: when it changes
 * otherwise (back button, a tag chip, "Clear filters"), the box follows.
 */
function useDebouncedParam(name: string, current: string) {
  const [text, setText] = useState(current);
  const pushed = useRef(current);

  useEffect(() => {
    if (current !== pushed.current) {
      pushed.current = current;
      setText(current);
    }
  }, [current]);

  useEffect(() => {
    const next = text.trim();
    if (next === pushed.current) return;
    const timer = setTimeout(() => {
      pushed.current = next;
      setParam(name, next);
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [name, text]);

  return [text, setText] as const;
}

export function ContactFiltersForm({ filters, knownTags }: { filters: ContactFilters; knownTags: string[] }) {
  const [q, setQ] = useDebouncedParam('q', filters.q);
  const [tag, setTag] = useDebouncedParam('tag', filters.tag);
  const any = filters.q || filters.tag || filters.deleted;

  return (
    <form className="form form-inline contact-filters" role="search" aria-label="Filter contacts" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label htmlFor="contact-search">Search contacts</label>
        <input id="contact-search" type="search" placeholder="Name, email or phone" value={q} onChange={(e) => setQ(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="contact-tag">Tag</label>
        <input id="contact-tag" type="search" list="contact-tag-options" placeholder="Any tag" autoComplete="off" value={tag} onChange={(e) => setTag(e.target.value)} />
        <datalist id="contact-tag-options">
          {knownTags.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
      </div>
      {!filters.trash && (
        <label className="checkbox contact-deleted-toggle">
          <input type="checkbox" checked={filters.deleted} onChange={(e) => setParam('deleted', e.target.checked ? 'true' : '')} />
          Show deleted
        </label>
      )}
      {any && (
        <div className="actions">
          <button type="button" onClick={() => navigate(location.pathname + (filters.trash ? '?view=trash' : ''), { replace: true })}>
            Clear filters
          </button>
        </div>
      )}
    </form>
  );
}
