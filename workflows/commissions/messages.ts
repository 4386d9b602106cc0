// Names and shapes shared by the commission workflows and the API (which signals, updates and
// queries them). Free of workflow-runtime imports so the API can import it too.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { SaleInput } from '../../activities/commissions/ghl-payments';

export interface CommissionInput {
  orgId: string;
  sale: SaleInput;
}

export interface DecideArgs {
  calculationId: string;
  decision: 'approve' | 'reject';
  /** The person deciding (their claims decide what the database allows). */
  userId: string;
  comment: string | null;
}

export interface CommissionState {
  phase: 'recording' | 'attributing' | 'unattributed' | 'calculating' | 'awaiting_approval' | 'done' | 'skipped';
  transactionId: string | null;
  teamMemberId: string | null;
  calculations: Array<{ id: string; teamMemberId: string; amountMinor: number; currency: string; status: string }>;
  reminded: boolean;
  escalated: boolean;
}

export interface CommissionOutcome {
  transactionId: string | null;
  skipped?: string;
  calculations: Array<{ id: string; status: string }>;
}

export const decideUpdate = defineUpdate<{ id: string; status: string }, [DecideArgs]>('decide');
/** A manager assigned a team member to an unattributed sale (the sale row already says who). */
export const assignedSignal = defineSignal('assigned');
export const commissionStateQuery = defineQuery<CommissionState>('state');

/** A payment's key: its source and its id there. One commission workflow per payment, whatever the deliveries. */
export const paymentKey = (sale: Pick<SaleInput, 'source' | 'externalId'>): string => `${sale.source}:${sale.externalId}`;
export const commissionWorkflowId = (orgId: string, sale: Pick<SaleInput, 'source' | 'externalId'>) => `commission:${orgId}:${paymentKey(sale)}`;
export const refundWorkflowId = (orgId: string, saleKey: string, refundExternalId: string) => `refund:${orgId}:${saleKey}:${refundExternalId}`;
export const payoutWorkflowId = (orgId: string, period: { periodStart: string; periodEnd: string }) => `payout:${orgId}:${period.periodStart}..${period.periodEnd}`;
