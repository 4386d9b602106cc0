import type { Execution } from '../api/flows';

/** 850 ms, 12.3 s, 4 min 05 s, 2 h 10 min. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ${String(Math.floor(s % 60)).padStart(2, '0')} s`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${min % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** Between two ISO times; an open end counts up to `now` (a run still going). */
export function durationBetween(start: string | null, end: string | null, now = Date.now()): number | undefined {
  if (!start) return undefined;
  return (end ? Date.parse(end) : now) - Date.parse(start);
}

export function formatTime(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

export function versionLabel(e: Pick<Execution, 'version' | 'test'>): string {
  return e.version === null ? 'draft test' : `v${e.version}`;
}

const TRIGGERS: Record<string, string> = { manual: 'Manual', webhook: 'Webhook', schedule: 'Schedule', event: 'Event', rerun: 'Re-run', subflow: 'Subflow' };

export function triggerLabel(triggerType: string): string {
  return TRIGGERS[triggerType] ?? triggerType;
}

export const executionPath = (orgId: string, executionId: string) => `/orgs/${encodeURIComponent(orgId)}/executions/${encodeURIComponent(executionId)}`;
export const workflowPath = (orgId: string, workflowId: string) => `/orgs/${encodeURIComponent(orgId)}/workflows/${encodeURIComponent(workflowId)}`;
