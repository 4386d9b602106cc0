// Where the commission pages live: /orgs/:orgId/<section>[/<item>] (org/sections.ts names them).
const org = (orgId: string) => `/orgs/${encodeURIComponent(orgId)}`;

export const inboxPath = (orgId: string) => `${org(orgId)}/commissions`;
export const salesPath = (orgId: string) => `${org(orgId)}/sales`;
export const salePath = (orgId: string, saleId: string) => `${salesPath(orgId)}/${encodeURIComponent(saleId)}`;
export const payoutsPath = (orgId: string) => `${org(orgId)}/payouts`;
export const payoutPath = (orgId: string, payoutId: string) => `${payoutsPath(orgId)}/${encodeURIComponent(payoutId)}`;
export const earningsPath = (orgId: string) => `${org(orgId)}/earnings`;
/** A payout opened from My earnings: readable by a rep who may not open the Payouts section. */
export const earningsPayoutPath = (orgId: string, payoutId: string) => `${earningsPath(orgId)}/${encodeURIComponent(payoutId)}`;
export const plansPath = (orgId: string) => `${org(orgId)}/commission-plans`;
/** `planId` "new" opens an empty editor. */
export const planPath = (orgId: string, planId: string) => `${plansPath(orgId)}/${encodeURIComponent(planId)}`;
export const NEW_PLAN = 'new';
