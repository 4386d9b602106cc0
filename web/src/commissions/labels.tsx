import type { CalculationKind, CalculationStatus, PayoutStatus, SaleSource, SaleStatus } from '../api/commissions';

export const CALCULATION_STATUSES: Record<CalculationStatus, string> = {
  pending: 'Pending',
  held: 'Held',
  approved: 'Approved',
  rejected: 'Rejected',
  payable: 'Payable',
  paid: 'Paid',
  clawed_back: 'Clawed back',
  superseded: 'Superseded',
};

export const SALE_STATUSES: Record<SaleStatus, string> = {
  paid: 'Paid',
  partially_refunded: 'Partially refunded',
  refunded: 'Refunded',
};

export const PAYOUT_STATUSES: Record<PayoutStatus, string> = { draft: 'Draft', locked: 'Locked', paid: 'Paid' };

export const SALE_SOURCES: Record<SaleSource, string> = {
  ghl_invoice: 'GHL invoice',
  ghl_order: 'GHL order',
  ghl_workflow: 'GHL workflow',
  manual: 'Manual',
  api: 'API',
  receipt: 'Receipt',
};

export const KINDS: Record<CalculationKind, string> = { commission: 'Commission', clawback: 'Clawback', adjustment: 'Adjustment' };

const ALL: Record<string, string> = { ...CALCULATION_STATUSES, ...SALE_STATUSES, ...PAYOUT_STATUSES };

/**
 * A commission, sale or payout status as a pill, in the shared `.status-badge` look. Not the
 * shared StatusBadge: its labels are the executions' own, and "clawed_back" should read as words.
 */
export function MoneyStatus({ status }: { status: string }) {
  return (
    <span className={`status-badge money-status-${status}`} data-status={status}>
      {ALL[status] ?? status}
    </span>
  );
}
