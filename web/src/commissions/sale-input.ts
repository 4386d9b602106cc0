// A manual sale as the form holds it (text) -> the API's NewSale, or the fields at fault.
import type { NewSale, Split } from '../api/commissions';
import { percentToBps } from '../commission-rate';
import { InputError } from '../use-submit';
import { amountProblem, parseMajor } from './money';

export interface SplitDraft {
  key: number;
  teamMemberId: string;
  credit: string;
  payout: string;
}

export interface SaleDraft {
  amount: string;
  currency: string;
  /** A datetime-local value, or '' for "now" (the server's clock). */
  paidAt: string;
  teamMemberId: string;
  externalId: string;
  productId: string;
  pipelineId: string;
  splits: SplitDraft[];
}

export const SALE_FIELDS = ['amountMinor', 'currency', 'paidAt', 'teamMemberId', 'externalId', 'productId', 'pipelineId', 'splits'] as const;

const CURRENCY = /^[A-Z]{3}$/;
const PERCENT_HINT = 'Enter a percentage from 0 to 100 with at most two decimals.';

/** A datetime-local value ("2026-03-01T14:30", the browser's time zone) as an ISO instant. */
export function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

/** The sale to send; throws InputError naming every field at fault (as the API would). */
export function toNewSale(draft: SaleDraft): NewSale {
  const errors: Record<string, string> = {};
  const currency = draft.currency.trim().toUpperCase();
  if (!CURRENCY.test(currency)) errors.currency = 'Enter a three-letter ISO currency code, such as USD.';
  const amountError = amountProblem(draft.amount, currency);
  if (amountError) errors.amountMinor = amountError;
  const paidAt = localToIso(draft.paidAt);
  if (draft.paidAt && !paidAt) errors.paidAt = 'Enter a date and time.';

  const splits: Split[] = [];
  draft.splits.forEach((s, i) => {
    const creditBps = percentToBps(s.credit);
    const payoutBps = percentToBps(s.payout);
    if (!s.teamMemberId) errors[`splits.${i}.teamMemberId`] = 'Choose a team member.';
    if (creditBps === undefined || creditBps === null) errors[`splits.${i}.creditBps`] = PERCENT_HINT;
    if (payoutBps === undefined || payoutBps === null) errors[`splits.${i}.payoutBps`] = PERCENT_HINT;
    if (draft.splits.findIndex((o) => o.teamMemberId === s.teamMemberId) !== i && s.teamMemberId) errors[`splits.${i}.teamMemberId`] = 'This member is already in the split.';
    splits.push({ teamMemberId: s.teamMemberId, creditBps: creditBps ?? 0, payoutBps: payoutBps ?? 0 });
  });
  // The engine pays out exactly the commission: shares that do not make a whole are refused.
  const payoutTotal = splits.reduce((sum, s) => sum + s.payoutBps, 0);
  if (splits.length > 0 && payoutTotal !== 10_000) errors.splits = 'The payout shares must add up to 100%.';

  if (Object.keys(errors).length > 0) throw new InputError(errors);
  const optional = (text: string) => text.trim() || undefined;
  return {
    amountMinor: parseMajor(draft.amount, currency)!,
    currency,
    paidAt,
    teamMemberId: draft.teamMemberId || undefined,
    externalId: optional(draft.externalId),
    productId: optional(draft.productId),
    pipelineId: optional(draft.pipelineId),
    splits: splits.length > 0 ? splits : undefined,
  };
}
