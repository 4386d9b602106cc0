import type { Sql } from '../../db/client';
import type { GhlAccessSettings } from '../integrations/ghl-access';
import { createCalculationActivities } from './calculations';
import { createPayoutActivities } from './payouts';
import { createRefundActivities } from './refunds';
import { createSaleActivities } from './sales';

/** Sales, commissions, refunds and payouts: the activities of the commission workflows. */
export function createCommissionActivities(deps: { sql: Sql; ghl: GhlAccessSettings }) {
  return {
    ...createSaleActivities(deps),
    ...createCalculationActivities(deps),
    ...createRefundActivities(deps),
    ...createPayoutActivities(deps),
  };
}

export type CommissionActivities = ReturnType<typeof createCommissionActivities>;
