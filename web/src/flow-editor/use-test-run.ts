import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FlowDefinition } from '../../../flows/types';
import { type ExecutionDetail, FINISHED, getExecution } from '../api/flows';
import { nodeStatuses } from './run-status';
import type { RunData } from './suggestions';

const POLL_MS = 700;

/**
 * Follows one execution until it finishes: the canvas lights each node by the statuses here,
 * and the inspector shows each node's input and output.
 */
export function useWatchedRun(orgId: string, definition: FlowDefinition) {
  const [executionId, setExecutionId] = useState<string>();
  const [run, setRun] = useState<ExecutionDetail>();
  const [error, setError] = useState<Error>();
  const generation = useRef(0);

  useEffect(() => {
    if (!executionId) return;
    const mine = ++generation.current;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();
    const tick = async () => {
      try {
        const detail = await getExecution(orgId, executionId, controller.signal);
        if (mine !== generation.current) return;
        setRun(detail);
        setError(undefined);
        if (!FINISHED.has(detail.status)) timer = setTimeout(() => void tick(), POLL_MS);
      } catch (e) {
        if (controller.signal.aborted || mine !== generation.current) return;
        setError(e instanceof Error ? e : new Error(String(e)));
        timer = setTimeout(() => void tick(), POLL_MS * 3);
      }
    };
    void tick();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [orgId, executionId]);

  const watch = useCallback((id: string) => {
    setRun(undefined);
    setExecutionId(id);
  }, []);

  const statuses = useMemo(() => nodeStatuses(definition, run), [definition, run]);
  const runData = useMemo<RunData | undefined>(() => {
    if (!run) return undefined;
    const outputs: Record<string, unknown> = {};
    for (const s of run.steps) if (s.iteration === '' && s.status === 'succeeded') outputs[s.nodeId] = s.output;
    return { trigger: run.input, outputs };
  }, [run]);

  return { executionId, run, error, statuses, runData, watch };
}
