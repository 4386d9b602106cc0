import type { ExecutionDetail, ExecutionStep, NodeRunStatus } from '../api/flows';

export interface TimelineRow {
  /** `<nodeId>` or, inside loops, `<nodeId>#<iteration>` (the live state's keys). */
  key: string;
  nodeId: string;
  iteration: string;
  nodeType: string;
  status: NodeRunStatus;
  attempt: number | undefined;
  /** The recorded step; undefined for nodes the live state knows of but that have no step yet. */
  step: ExecutionStep | undefined;
  liveError: string | undefined;
  /** Position on the run's time axis, in percent; undefined without a start time. */
  bar: { left: number; width: number; open: boolean } | undefined;
}

export interface Axis {
  start: number;
  span: number;
}

const rowKey = (nodeId: string, iteration: string) => (iteration ? `${nodeId}#${iteration}` : nodeId);
// A bar stays visible however short its step was.
const MIN_WIDTH = 0.6;

/** The time axis: from the run's start to its end, or to now (and any later step) while it runs. */
export function runAxis(e: ExecutionDetail, now: number): Axis {
  const start = Date.parse(e.startedAt ?? e.createdAt);
  let end = e.finishedAt ? Date.parse(e.finishedAt) : now;
  for (const s of e.steps) if (s.finishedAt) end = Math.max(end, Date.parse(s.finishedAt));
  return { start, span: Math.max(end - start, 1) };
}

/** One row per recorded step, then the nodes only the live state knows (running, waiting, pending). */
export function timelineRows(e: ExecutionDetail, axis: Axis, now: number): TimelineRow[] {
  const live = e.live?.nodes ?? {};
  const types = new Map((e.definition?.nodes ?? []).map((n) => [n.id, n.type]));
  const rows: TimelineRow[] = e.steps.map((step) => {
    const key = rowKey(step.nodeId, step.iteration);
    // A step without an end may be further along than its recorded status says.
    const current = !step.finishedAt ? live[key] : undefined;
    return {
      key,
      nodeId: step.nodeId,
      iteration: step.iteration,
      nodeType: step.nodeType,
      status: current?.status ?? step.status,
      attempt: current?.attempt ?? step.attempt,
      step,
      liveError: current?.error,
      bar: bar(step.startedAt, step.finishedAt, axis, now),
    };
  });
  const seen = new Set(rows.map((r) => r.key));
  for (const [key, node] of Object.entries(live)) {
    if (seen.has(key)) continue;
    const hash = key.indexOf('#');
    const nodeId = hash < 0 ? key : key.slice(0, hash);
    rows.push({
      key,
      nodeId,
      iteration: hash < 0 ? '' : key.slice(hash + 1),
      nodeType: types.get(nodeId) ?? '',
      status: node.status,
      attempt: node.attempt,
      step: undefined,
      liveError: node.error,
      bar: undefined,
    });
  }
  return rows;
}

function bar(startedAt: string | null, finishedAt: string | null, axis: Axis, now: number): TimelineRow['bar'] {
  if (!startedAt) return undefined;
  const from = Date.parse(startedAt) - axis.start;
  const to = (finishedAt ? Date.parse(finishedAt) : now) - axis.start;
  const left = clamp((from / axis.span) * 100, 0, 100 - MIN_WIDTH);
  const width = clamp(((to - from) / axis.span) * 100, MIN_WIDTH, 100 - left);
  return { left, width, open: !finishedAt };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

/** The decision an approval step recorded as its output. */
export interface RecordedDecision {
  decision: 'approve' | 'reject' | 'timeout';
  comment?: string;
  decidedBy?: { userId: string; email?: string; role?: string };
  decidedAt?: string;
}

export function recordedDecision(step: ExecutionStep | undefined): RecordedDecision | undefined {
  if (!step || step.nodeType !== 'wait.approval') return undefined;
  const out = step.output as Partial<RecordedDecision> | null;
  if (!out || typeof out !== 'object' || !['approve', 'reject', 'timeout'].includes(out.decision as string)) return undefined;
  return out as RecordedDecision;
}
