import type { z } from 'zod';
import type { Problem } from '../types';

/** Problems in the order they were found (definition order), errors and warnings together. */
export class Problems {
  readonly list: Problem[] = [];

  error(problem: Omit<Problem, 'severity'>): void {
    this.list.push({ ...problem, severity: 'error' });
  }

  warning(problem: Omit<Problem, 'severity'>): void {
    this.list.push({ ...problem, severity: 'warning' });
  }

  get hasErrors(): boolean {
    return this.list.some((p) => p.severity === 'error');
  }
}

/**
 * One problem per zod issue, its path prefixed (e.g. "data"); an unknown field becomes one
 * problem per key, pinned to that key.
 */
export function issueProblems(issues: readonly z.core.$ZodIssue[], prefix: string[]): { path: string; message: string }[] {
  return issues.flatMap((issue) => {
    const at = [...prefix, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: [...at, key].join('.'), message: `unknown field "${key}"` }));
    const missing = issue.code === 'invalid_type' && /received undefined$/.test(issue.message);
    return [{ path: at.join('.'), message: missing ? 'is required' : issue.message }];
  });
}
