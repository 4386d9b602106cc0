// Names shared by the API (client side) and the worker, kept free of any import so both can use them.
export const WORKFLOW_KINDS = { readiness: 'readiness', flow: 'flow', ghlEvent: 'ghl-event', ghlSync: 'ghl-sync', commission: 'commission', payout: 'payout', conversation: 'conversation', receipt: 'receipt' } as const;

/** Custom search attributes (all Keyword) registered on every Temporal server we use. */
export const SEARCH_ATTRIBUTES = ['OrganizationId', 'FlowId', 'FlowVersion', 'Kind'] as const;
