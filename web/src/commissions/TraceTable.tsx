import type { TraceStep } from '../../../commissions/trace';
import { JsonView } from '../components/JsonView';
import { formatMinor, percentText } from './money';

const RULE_LABELS: Record<string, string> = {
  plan: 'Plan',
  override: 'Override',
  'member-default': 'Member’s own rate',
  'cap-per-deal': 'Cap per deal',
  'cap-per-period': 'Cap per period',
  split: 'Split',
  clawback: 'Clawback',
  hold: 'Held for review',
};

function isTrace(value: unknown): value is TraceStep[] {
  return Array.isArray(value) && value.every((s) => typeof s === 'object' && s !== null && typeof (s as TraceStep).note === 'string');
}

/**
 * Why a commission pays what it pays: the engine's steps, one row each, amounts in the
 * calculation's currency. A trace of another shape (older rows) is shown as JSON.
 */
export function TraceTable({ trace, currency, label = 'Rule trace' }: { trace: unknown; currency: string; label?: string }) {
  if (!isTrace(trace)) return <JsonView value={trace} label={label} />;
  if (trace.length === 0) return <p className="muted">No trace was recorded.</p>;
  return (
    <table className="table trace-table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Rule</th>
          <th scope="col" className="num">
            Base
          </th>
          <th scope="col" className="num">
            Rate
          </th>
          <th scope="col" className="num">
            Tier
          </th>
          <th scope="col" className="num">
            Amount
          </th>
          <th scope="col">Note</th>
        </tr>
      </thead>
      <tbody>
        {trace.map((step, i) => (
          <tr key={i}>
            <td>{RULE_LABELS[step.rule] ?? <code>{step.rule}</code>}</td>
            <td className="num">{step.base === undefined ? '' : formatMinor(step.base, currency)}</td>
            <td className="num">{step.rate ?? (step.rateBps === undefined ? '' : percentText(step.rateBps))}</td>
            <td className="num">{step.tier ?? ''}</td>
            <td className="num">{step.amountMinor === undefined ? '' : formatMinor(step.amountMinor, currency)}</td>
            <td>{step.note}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
