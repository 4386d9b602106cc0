import type { Sql } from '../db/client';
import { createReadinessActivities } from './db/readiness';
import { createRetentionActivities } from './db/retention';
import { createFlowActivities, type FlowActivityDeps } from './flow';
import { createGhlEventActivities } from './integrations/ghl-events';

export interface ActivityDeps {
  sql: Sql;
  http: FlowActivityDeps['http'];
  llm: FlowActivityDeps['llm'];
}

/** Every activity the worker registers. Workflows import only the *type* of this. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createReadinessActivities(deps),
    ...createFlowActivities(deps),
    ...createRetentionActivities(deps),
    ...createGhlEventActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
