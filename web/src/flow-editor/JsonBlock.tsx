/** A JSON value as text; big ones start folded so a page of output does not bury the rest. */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  const text = value === undefined ? '—' : JSON.stringify(value, null, 2);
  const big = text.length > 1_500 || text.split('\n').length > 30;
  if (!big) return <pre className="json-block" aria-label={label}>{text}</pre>;
  return (
    <details className="json-fold">
      <summary>{`${label} (${text.length.toLocaleString()} characters)`}</summary>
      <pre className="json-block" aria-label={label}>{text}</pre>
    </details>
  );
}
