import { createHash } from 'node:crypto';
import { compile } from '../../flows/compiler';
import type { CompileResult, Problem } from '../../flows/types';
import { HttpError } from '../http/errors';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function compileDefinition(definition: unknown, options: { knownWorkflowIds?: ReadonlySet<string>; selfWorkflowId?: string } = {}): CompileResult {
  return compile(definition, { hash: sha256, ...options });
}

/** A compiler problem as a problem+json field path: definition.nodes.<id>.<path>. */
export function problemPath(p: Problem): string {
  if (p.nodeId) return ['definition', 'nodes', p.nodeId, p.path].filter(Boolean).join('.');
  if (p.edgeId) return ['definition', 'edges', p.edgeId, p.path].filter(Boolean).join('.');
  return ['definition', p.path].filter(Boolean).join('.');
}

export function unpublishable(problems: Problem[]): HttpError {
  const errors = problems.filter((p) => p.severity === 'error');
  return new HttpError(
    422,
    `The definition has ${errors.length} problem(s); fix them before publishing`,
    errors.map((p) => ({ path: problemPath(p), message: p.message })),
    undefined,
    { problems },
  );
}
