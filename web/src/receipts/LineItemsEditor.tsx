import { useId } from 'react';
import { type LineDraft, lineFieldPath, newLine } from './review-draft';

interface Props {
  lines: LineDraft[];
  onChange: (lines: LineDraft[]) => void;
  currency: string;
  errors: Record<string, string>;
  /** The model was unsure of the line items: the fieldset says "check this". */
  lowConfidence?: string;
  disabled?: boolean;
}

/** The receipt's line items, a row each: description, quantity, amount (as typed, in major units). */
export function LineItemsEditor({ lines, onChange, currency, errors, lowConfidence, disabled }: Props) {
  const hintId = useId();
  const set = (key: number, changes: Partial<LineDraft>) => onChange(lines.map((l) => (l.key === key ? { ...l, ...changes } : l)));
  return (
    <fieldset className={`receipt-lines${lowConfidence ? ' receipt-low' : ''}`} aria-describedby={lowConfidence ? hintId : undefined} data-testid="receipt-line-items" disabled={disabled}>
      <legend>Line items</legend>
      {lowConfidence && (
        <p id={hintId} className="receipt-check">
          {lowConfidence}
        </p>
      )}
      {lines.length === 0 ? (
        <p className="muted">No line items.</p>
      ) : (
        <table className="table receipt-lines-table">
          <thead>
            <tr>
              <th scope="col">Description</th>
              <th scope="col">Quantity</th>
              <th scope="col">Amount{currency ? ` (${currency})` : ''}</th>
              <th scope="col">
                <span className="receipt-visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l, i) => (
              <tr key={l.key} data-testid={`line-${i + 1}`}>
                <Cell label={`Description, line ${i + 1}`} value={l.description} error={errors[lineFieldPath(i, 'description')]} onChange={(description) => set(l.key, { description })} />
                <Cell label={`Quantity, line ${i + 1}`} value={l.quantity} error={errors[lineFieldPath(i, 'quantity')]} onChange={(quantity) => set(l.key, { quantity })} inputMode="decimal" />
                <Cell label={`Amount, line ${i + 1}`} value={l.amount} error={errors[lineFieldPath(i, 'amountMinor')]} onChange={(amount) => set(l.key, { amount })} inputMode="decimal" />
                <td>
                  <button type="button" className="btn-danger-outline" aria-label={`Remove line ${i + 1}`} onClick={() => onChange(lines.filter((o) => o.key !== l.key))}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <button type="button" onClick={() => onChange([...lines, newLine()])}>
          Add line item
        </button>
      </p>
    </fieldset>
  );
}

function Cell(props: { label: string; value: string; error?: string; onChange: (value: string) => void; inputMode?: 'decimal' }) {
  const errorId = useId();
  return (
    <td>
      <input
        aria-label={props.label}
        value={props.value}
        inputMode={props.inputMode}
        autoComplete="off"
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? errorId : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.error && (
        <p id={errorId} className="field-error">
          {props.error}
        </p>
      )}
    </td>
  );
}
