// The shape of GET /readyz as the browser sees it (api/readiness.ts owns the source of truth).
export type ComponentName = 'postgres' | 'temporal' | 'worker';

export interface ComponentStatus {
  status: 'up' | 'down' | 'unknown';
  error?: string;
  serverVersion?: string;
  uiUrl?: string;
  workflowId?: string;
  taskQueue?: string;
}

export type ReadinessReport = { status: 'ready' | 'not_ready'; checkedAt: string } & Record<ComponentName, ComponentStatus>;

export async function fetchReadiness(signal?: AbortSignal): Promise<ReadinessReport> {
  const res = await fetch('/readyz', { signal, headers: { accept: 'application/json' } });
  // 503 still carries a full report: that is the point of it.
  if (res.status !== 200 && res.status !== 503) throw new Error(`GET /readyz answered ${res.status}`);
  return (await res.json()) as ReadinessReport;
}
