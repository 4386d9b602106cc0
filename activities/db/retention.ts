import { heartbeat } from '@temporalio/activity';
import type { Sql } from '../../db/client';
import { withClaims } from '../../db/tenant';

/** No organization in particular: the prune function decides per organization itself. */
const PLATFORM = '00000000-0000-0000-0000-000000000000';

export function createRetentionActivities(deps: { sql: Sql }) {
  return {
    /** Deletes expired executions in batches until none is left; answers how many. */
    async pruneExecutions(input: { batch?: number } = {}): Promise<{ deleted: number }> {
      let deleted = 0;
      for (;;) {
        const [row] = await withClaims(deps.sql, { role: 'worker', org_id: PLATFORM }, (tx) =>
          tx<{ n: number }[]>`select app.prune_executions(${input.batch ?? 1000}) as n`,
        );
        deleted += row!.n;
        heartbeat({ deleted });
        if (row!.n < (input.batch ?? 1000)) return { deleted };
      }
    },
  };
}
