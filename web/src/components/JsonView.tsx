import { useState } from 'react';
import './components.css';

interface Limits {
  /** Objects and arrays with more entries start collapsed and show this many until "Show all". */
  maxEntries: number;
  /** Strings longer than this are cut until "Show all". */
  maxString: number;
  /** Containers deeper than this start collapsed. */
  openDepth: number;
}

const DEFAULTS: Limits = { maxEntries: 20, maxString: 200, openDepth: 2 };

/**
 * A JSON value as a tree: big objects and arrays start collapsed (<details>, so keyboard and
 * screen readers get them for free) and show their first entries; long strings are cut.
 * Step inputs and outputs can be megabytes: rendering them whole would freeze the page.
 */
export function JsonView({ value, label, limits }: { value: unknown; label?: string; limits?: Partial<Limits> }) {
  const l = { ...DEFAULTS, ...limits };
  return (
    <div className="json-view" aria-label={label} role={label ? 'group' : undefined}>
      <JsonNode value={value} depth={0} limits={l} />
    </div>
  );
}

function JsonNode({ value, depth, limits }: { value: unknown; depth: number; limits: Limits }) {
  if (value === undefined) return <span className="json-null">undefined</span>;
  if (value === null) return <span className="json-null">null</span>;
  if (typeof value === 'string') return <JsonString value={value} limits={limits} />;
  if (typeof value === 'number' || typeof value === 'boolean') return <span className={`json-${typeof value}`}>{String(value)}</span>;
  if (typeof value !== 'object') return <span>{String(value)}</span>;
  return <JsonContainer value={value as object} depth={depth} limits={limits} />;
}

function JsonString({ value, limits }: { value: string; limits: Limits }) {
  const [all, setAll] = useState(false);
  const long = value.length > limits.maxString;
  const shown = long && !all ? `${value.slice(0, limits.maxString)}…` : value;
  return (
    <span className="json-string">
      {JSON.stringify(shown)}
      {long && (
        <button type="button" className="json-more" onClick={() => setAll((a) => !a)}>
          {all ? 'Show less' : `Show all (${value.length} characters)`}
        </button>
      )}
    </span>
  );
}

function JsonContainer({ value, depth, limits }: { value: object; depth: number; limits: Limits }) {
  const isArray = Array.isArray(value);
  const entries: [string, unknown][] = isArray ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  const [all, setAll] = useState(false);
  if (entries.length === 0) return <span className="json-punct">{isArray ? '[]' : '{}'}</span>;
  const big = entries.length > limits.maxEntries;
  const shown = big && !all ? entries.slice(0, limits.maxEntries) : entries;
  const summary = isArray ? `[${entries.length} item${entries.length === 1 ? '' : 's'}]` : `{${entries.length} key${entries.length === 1 ? '' : 's'}}`;
  return (
    <details className="json-container" open={!big && depth < limits.openDepth}>
      <summary>{summary}</summary>
      <ul className="json-entries">
        {shown.map(([key, v]) => (
          <li key={key}>
            <span className="json-key">{isArray ? key : JSON.stringify(key)}:</span> <JsonNode value={v} depth={depth + 1} limits={limits} />
          </li>
        ))}
      </ul>
      {big && (
        <button type="button" className="json-more" onClick={() => setAll((a) => !a)}>
          {all ? 'Show less' : `Show all ${entries.length}`}
        </button>
      )}
    </details>
  );
}
