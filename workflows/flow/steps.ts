// Step records: what the interpreter reports about each node run, written to execution_steps.
export interface StepContext {
  orgId: string;
  executionId: string;
  nodeId: string;
  nodeType: string;
  /** '' outside loops; `<loopId>:<index>` (nested: joined by '/') inside a loop body. */
  iteration: string;
  /**
   * Set on the run's first bookkeeping call only: mark the execution running (with its Temporal
   * run id) as part of that call instead of in an activity of its own.
   */
  running?: { temporalRunId: string };
}

export interface StepRecord {
  nodeId: string;
  nodeType: string;
  iteration: string;
  status: 'succeeded' | 'failed' | 'skipped' | 'waiting' | 'cancelled';
  attempt: number;
  input?: unknown;
  output?: unknown;
  error?: { message: string; type?: string };
  startedAt: string;
  finishedAt?: string;
}
