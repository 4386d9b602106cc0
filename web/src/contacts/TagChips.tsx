/** A contact's tags as chips; with `onPick`, each chip filters the list by its tag. */
export function TagChips({ tags, onPick }: { tags: string[]; onPick?: (tag: string) => void }) {
  if (tags.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="tag-chips">
      {tags.map((t) => (
        <li key={t}>
          {onPick ? (
            <button type="button" className="chip chip-button" title={`Show contacts tagged “${t}”`} onClick={() => onPick(t)}>
              {t}
            </button>
          ) : (
            <span className="chip">{t}</span>
          )}
        </li>
      ))}
    </ul>
  );
}
