import type { Sql } from '../db/client';
import { createReadinessActivities } from './db/readiness';

export interface ActivityDeps {
  sql: Sql;
}

/** Every activity the worker registers. Workflows import only the *type* of this. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createReadinessActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
