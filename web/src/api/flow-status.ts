import type { ExecutionStatus } from './flows';

/** Finished executions do not change any more: polling stops on these. */
export const FINISHED: ReadonlySet<ExecutionStatus> = new Set(['succeeded', 'failed', 'cancelled']);
