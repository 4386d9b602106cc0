import { Fragment, useEffect, useState } from 'react';
import { previewPlan, type PreviewRow, type VersionInput } from '../api/commissions';
import { ErrorAlert } from '../components/Notices';
import { amountProblem, formatMinor, parseMajor, percentText } from './money';
import { nextKey } from './plan-draft';
import { TraceTable } from './TraceTable';

// Ask once the user pauses typing, not on every keystroke.
export const PREVIEW_DEBOUNCE_MS = 300;
const DEFAULT_SAMPLES = ['100.00', '1,000.00', '10,000.00'];
const MAX_SAMPLES = 50;

interface Props {
  orgId: string;
  /** The editor's version, or undefined while it has problems. */
  version: VersionInput | undefined;
}

/** "What would this pay": the unsaved plan priced by the API's engine on sample sale amounts. */
export function PlanPreview({ orgId, version }: Props) {
  const [samples, setSamples] = useState(() => DEFAULT_SAMPLES.map((text) => ({ key: nextKey(), text })));
  const [rows, setRows] = useState<PreviewRow[]>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState<number>();
  const currency = version?.currency ?? 'USD';
  const amounts = samples.map((s) => parseMajor(s.text, currency));
  const valid = amounts.filter((a): a is number => a !== undefined);
  // A stable key: the effect runs again only when what would be sent changes.
  const request = version && valid.length > 0 ? JSON.stringify({ version: { currency: version.currency, rules: version.rules, overrides: version.overrides, caps: version.caps }, samplesMinor: valid }) : undefined;

  useEffect(() => {
    if (!request) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setLoading(true);
      previewPlan(orgId, JSON.parse(request) as Parameters<typeof previewPlan>[1], controller.signal).then(
        (res) => {
          setRows(res.rows);
          setError(undefined);
          setLoading(false);
        },
        (e: unknown) => {
          if (controller.signal.aborted) return;
          setError(e instanceof Error ? e.message : String(e));
          setLoading(false);
        },
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
      setLoading(false);
    };
  }, [orgId, request]);

  const setSample = (key: number, text: string) => setSamples((all) => all.map((s) => (s.key === key ? { ...s, text } : s)));
  const stale = !version;

  return (
    <section className="panel plan-preview" aria-labelledby="plan-preview-heading" aria-busy={loading}>
      <h2 id="plan-preview-heading">What would this pay</h2>
      <p className="muted">Each sample is priced on its own, as the first sale of an empty period.</p>
      <div className="form-inline samples">
        {samples.map((s, i) => (
          <div key={s.key} className="field sample-field">
            <label htmlFor={`sample-${s.key}`}>Sample sale {i + 1}</label>
            <input id={`sample-${s.key}`} inputMode="decimal" value={s.text} aria-invalid={amounts[i] === undefined || undefined} onChange={(e) => setSample(s.key, e.target.value)} />
            {amounts[i] === undefined && <p className="field-error">{amountProblem(s.text, currency)}</p>}
            {samples.length > 1 && (
              <button type="button" className="text-button" aria-label={`Remove sample sale ${i + 1}`} onClick={() => setSamples((all) => all.filter((x) => x.key !== s.key))}>
                Remove
              </button>
            )}
          </div>
        ))}
        {samples.length < MAX_SAMPLES && (
          <div className="actions">
            <button type="button" onClick={() => setSamples((all) => [...all, { key: nextKey(), text: '' }])}>
              Add sample
            </button>
          </div>
        )}
      </div>
      {stale && <p className="muted">Fix the plan’s marked fields to see what it pays.</p>}
      <ErrorAlert message={error} />
      {rows && (
        <table className={`table preview-table${stale ? ' stale' : ''}`} aria-label="Preview">
          <thead>
            <tr>
              <th scope="col" className="num">
                Sale
              </th>
              <th scope="col" className="num">
                Commission
              </th>
              <th scope="col" className="num">
                Effective rate
              </th>
              <th scope="col">Trace</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <Fragment key={i}>
                <tr data-testid={`preview-row-${i}`}>
                  <td className="num">{formatMinor(row.saleAmountMinor, currency)}</td>
                  <td className="num">{row.commissionMinor === undefined ? <span className="muted">Held: {row.heldForReview?.reason ?? 'no commission'}</span> : formatMinor(row.commissionMinor, currency)}</td>
                  <td className="num">{row.effectiveBps === undefined ? '—' : percentText(row.effectiveBps)}</td>
                  <td>
                    <button type="button" className="text-button" aria-expanded={open === i} onClick={() => setOpen(open === i ? undefined : i)}>
                      {open === i ? 'Hide trace' : 'Show trace'}
                    </button>
                  </td>
                </tr>
                {open === i && (
                  <tr className="trace-row">
                    <td colSpan={4}>
                      <TraceTable trace={row.trace} currency={currency} label={`Trace for ${formatMinor(row.saleAmountMinor, currency)}`} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
