import { useEffect, useMemo, useState } from 'react';
import type { FlowDefinition, Problem } from '../../../flows/types';
import { validateWorkflow } from '../api/flows';

const VALIDATE_DELAY_MS = 350;

/** The compiler's verdict on the graph as it is now, asked a moment after each change. */
export function useValidation(orgId: string, workflowId: string, definition: FlowDefinition, initial: Problem[]) {
  const [problems, setProblems] = useState<Problem[]>(initial);
  const [checking, setChecking] = useState(false);
  const json = JSON.stringify(definition);

  useEffect(() => {
    const controller = new AbortController();
    setChecking(true);
    const timer = setTimeout(() => {
      validateWorkflow(orgId, workflowId, JSON.parse(json) as FlowDefinition, controller.signal).then(
        (result) => {
          if (controller.signal.aborted) return;
          setProblems(result.problems);
          setChecking(false);
        },
        () => !controller.signal.aborted && setChecking(false),
      );
    }, VALIDATE_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [orgId, workflowId, json]);

  const byNode = useMemo(() => problemsByNode(problems), [problems]);
  const errorCount = problems.filter((p) => p.severity === 'error').length;

  return { problems, byNode, errorCount, checking };
}

/** Problems by the nodes they are about (a cycle's problem is on each of its nodes). */
export function problemsByNode(problems: readonly Problem[]): Map<string, Problem[]> {
  const map = new Map<string, Problem[]>();
  for (const p of problems) {
    for (const id of p.nodeIds ?? (p.nodeId ? [p.nodeId] : [])) map.set(id, [...(map.get(id) ?? []), p]);
  }
  return map;
}
