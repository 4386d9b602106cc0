import { type ReactNode, useState } from 'react';
import { confirmReceipt, type Receipt, type ReceiptField } from '../api/receipts';
import { TextField } from '../components/Field';
import { ErrorAlert } from '../components/Notices';
import { useSubmit } from '../use-submit';
import { FIELD_LABELS, lowConfidenceHint } from './labels';
import { LineItemsEditor } from './LineItemsEditor';
import { RejectButton } from './RejectButton';
import { checkLineItems, draftCurrency, lineFieldPath, REVIEW_FIELDS, type ReviewDraft, toDraft, toEdits } from './review-draft';

interface Props {
  orgId: string;
  receipt: Receipt;
  /** Confirmed or rejected: the page shows what came back. */
  onDone: (receipt: Receipt) => void;
}

/**
 * The fields read from a receipt, for a person to correct, then confirm (creating or updating
 * the opportunity's sale) or reject with a reason. Amounts are typed in major units and sent as
 * minor units.
 */
export function ReviewForm({ orgId, receipt, onDone }: Props) {
  const [draft, setDraft] = useState<ReviewDraft>(() => toDraft(receipt.extracted));
  const [createSale, setCreateSale] = useState(true);
  const set = (changes: Partial<ReviewDraft>) => setDraft((d) => ({ ...d, ...changes }));
  const fields = [...REVIEW_FIELDS, ...draft.lineItems.flatMap((_, i) => [lineFieldPath(i, 'description'), lineFieldPath(i, 'quantity'), lineFieldPath(i, 'amountMinor')])];

  const form = useSubmit(fields, async () => {
    const edits = toEdits(draft, { forSale: createSale });
    onDone(await confirmReceipt(orgId, receipt.id, { edits, createSale }));
  });

  const currency = draftCurrency(draft) ?? '';
  const check = checkLineItems(draft);
  const field = (name: ReceiptField, path: string, value: string, onChange: (v: string) => void, extra: { type?: string; inputMode?: 'decimal'; hint?: ReactNode } = {}) => {
    const low = lowConfidenceHint(receipt, name);
    return (
      <TextField
        label={FIELD_LABELS[name]}
        name={path}
        type={extra.type}
        inputMode={extra.inputMode}
        autoComplete="off"
        className={low ? 'receipt-low' : undefined}
        data-low-confidence={low ? 'true' : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        error={form.fieldErrors[path]}
        hint={
          low || extra.hint ? (
            <>
              {low && <span className="receipt-check">{low}</span>} {extra.hint}
            </>
          ) : undefined
        }
      />
    );
  };
  const amountHint = currency ? `In ${currency}, e.g. 42.50` : 'Enter the currency first';

  return (
    <form className="form receipt-review" onSubmit={form.onSubmit} noValidate aria-label="Review receipt">
      <ErrorAlert message={form.error} />
      <div className="grid-2">
        {field('vendor', 'edits.vendor', draft.vendor, (vendor) => set({ vendor }))}
        {field('date', 'edits.date', draft.date, (date) => set({ date }), { type: 'date' })}
        {field('currency', 'edits.currency', draft.currency, (c) => set({ currency: c.toUpperCase() }), { hint: 'ISO code, e.g. USD' })}
        {field('total', 'edits.totalMinor', draft.total, (total) => set({ total }), { inputMode: 'decimal', hint: amountHint })}
        {field('tax', 'edits.taxMinor', draft.tax, (tax) => set({ tax }), { inputMode: 'decimal', hint: amountHint })}
        {field('paymentMethod', 'edits.paymentMethod', draft.paymentMethod, (paymentMethod) => set({ paymentMethod }))}
        {field('referenceNumber', 'edits.referenceNumber', draft.referenceNumber, (referenceNumber) => set({ referenceNumber }))}
      </div>
      <LineItemsEditor lines={draft.lineItems} onChange={(lineItems) => set({ lineItems })} currency={currency} errors={form.fieldErrors} lowConfidence={lowConfidenceHint(receipt, 'lineItems')} />
      {check && (
        <p role="status" className={check.matches ? 'receipt-sum' : 'receipt-sum receipt-sum-off'} data-testid="line-items-check">
          Line items add up to {check.sum}
          {check.total && (check.matches ? ` (the total is ${check.total}).` : `, not the total ${check.total}: check the amounts or the tax.`)}
        </p>
      )}
      <label className="receipt-checkbox">
        <input type="checkbox" checked={createSale} onChange={(e) => setCreateSale(e.target.checked)} /> Create or update the opportunity’s sale with this total
      </label>
      <div className="actions">
        <RejectButton orgId={orgId} receiptId={receipt.id} onRejected={onDone} />
        <button type="submit" className="btn-primary" disabled={form.busy}>
          Confirm
        </button>
      </div>
    </form>
  );
}
