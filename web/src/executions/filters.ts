import type { ExecutionStatus } from '../api/flows';

export const STATUSES: ExecutionStatus[] = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'];

/** The list's filters as the URL holds them: dates as yyyy-mm-dd, so a link reads the same anywhere. */
export interface Filters {
  workflowId: string;
  status: string;
  since: string;
  until: string;
}

const KEYS = { workflowId: 'workflow', status: 'status', since: 'since', until: 'until' } as const satisfies Record<keyof Filters, string>;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function readFilters(query: URLSearchParams): Filters {
  const date = (v: string | null) => (v && DATE.test(v) ? v : '');
  const status = query.get(KEYS.status) ?? '';
  return {
    workflowId: query.get(KEYS.workflowId) ?? '',
    status: (STATUSES as string[]).includes(status) ? status : '',
    since: date(query.get(KEYS.since)),
    until: date(query.get(KEYS.until)),
  };
}

export function filtersQuery(filters: Filters): string {
  const params = new URLSearchParams();
  for (const [key, name] of Object.entries(KEYS) as [keyof Filters, string][]) if (filters[key]) params.set(name, filters[key]);
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

/**
 * The API's since/until (created_at >= since, < until) in the viewer's time zone: "until" a date
 * includes that whole day, so it becomes the next day's local midnight.
 */
export function apiRange(filters: Filters): { since?: string; until?: string } {
  const midnight = (date: string, plusDays = 0) => {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    return new Date(y, m - 1, d + plusDays).toISOString();
  };
  return { since: filters.since ? midnight(filters.since) : undefined, until: filters.until ? midnight(filters.until, 1) : undefined };
}
