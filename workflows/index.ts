// The worker bundles this file: everything exported here must be deterministic workflow code.
export { readinessWorkflow } from './readiness';
export { flowInterpreterWorkflow, flowLoopChunkWorkflow } from './flow/interpreter';
export { scheduledFlowWorkflow } from './flow/scheduled';
export { dataRetentionWorkflow, pruneExecutionsWorkflow } from './retention';
export { ghlEventWorkflow } from './ghl/event';
export { ghlContactsSyncWorkflow } from './ghl/contacts-sync';
export { commissionWorkflow, saleCorrectionWorkflow } from './commissions/commission';
export { saleRefundWorkflow } from './commissions/refund';
export { payoutBatchWorkflow, payoutScheduleWorkflow } from './commissions/payouts';
export { conversationWorkflow } from './bots/conversation';
export { botChannelWorkflow } from './bots/channels';
export { humanReplyWorkflow } from './handoffs/human-reply';
export { receiptWorkflow } from './receipts/receipt';
