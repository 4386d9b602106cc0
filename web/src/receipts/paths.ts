// Where the receipt pages live: /orgs/:orgId/receipts[/<receiptId>] (org/sections.ts names the section).
const org = (orgId: string) => `/orgs/${encodeURIComponent(orgId)}`;

export const receiptsPath = (orgId: string) => `${org(orgId)}/receipts`;
export const receiptPath = (orgId: string, receiptId: string) => `${receiptsPath(orgId)}/${encodeURIComponent(receiptId)}`;
