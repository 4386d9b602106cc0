import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

// Determinism is enforced by lint, not by memory: prove the rule is in force for workflows/.
describe('lint rules for workflow code', () => {
  // The real CLI with the project's config (a child process: the config is an ES module), on a
  // real file, since type-aware linting only sees files that exist (git-ignored probe folder).
  async function problems(code: string, dir: string): Promise<string[]> {
    const probeDir = path.join(ROOT, dir, '__lint_probe__');
    const file = path.join(probeDir, 'probe.ts');
    mkdirSync(probeDir, { recursive: true });
    writeFileSync(file, code);
    try {
      const bin = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
      const run = spawnSync(process.execPath, [bin, '--format', 'json', file], { cwd: ROOT, encoding: 'utf8' });
      const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string; message: string }[] }[];
      return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
    } finally {
      rmSync(probeDir, { recursive: true, force: true });
    }
  }

  it('rejects Node built-ins, I/O packages and activity implementations in workflows/', async () => {
    const found = await problems(
      [
        "import fs from 'node:fs';",
        "import postgres from 'postgres';",
        "import { createActivities } from '../../activities';",
        'export const all = [fs, postgres, createActivities];',
      ].join('\n'),
      'workflows',
    );
    expect(found).toEqual([
      expect.stringContaining('no Node built-ins'),
      expect.stringContaining('no I/O packages'),
      expect.stringContaining('call activities through proxyActivities'),
    ]);
  });

  it('allows activity types and the workflow SDK in workflows/', async () => {
    const found = await problems(
      [
        "import { proxyActivities } from '@temporalio/workflow';",
        "import type { Activities } from '../../activities';",
        "export const acts = proxyActivities<Activities>({ startToCloseTimeout: '1 minute' });",
      ].join('\n'),
      'workflows',
    );
    expect(found).toEqual([]);
  });

  it('holds flows/ (which runs inside workflows) to the same imports, and keeps the clock, randomness and timers out', async () => {
    const found = await problems(
      [
        "import fs from 'node:fs';",
        "import postgres from 'postgres';",
        "import { createSql } from '../../db/client';",
        "import { HttpError } from '../../api/http/errors';",
        'export const all = [fs, postgres, createSql, HttpError];',
        'export const now = Date.now();',
        'export const today = new Date();',
        'export const dice = Math.random();',
        'setTimeout(() => undefined, 1);',
      ].join('\n'),
      'flows',
    );
    expect(found).toEqual([
      expect.stringContaining('no Node built-ins'),
      expect.stringContaining('no I/O packages'),
      expect.stringContaining('call activities through proxyActivities'),
      expect.stringContaining('call activities through proxyActivities'),
      expect.stringContaining('no clock'),
      expect.stringContaining('no clock'),
      expect.stringContaining('no randomness'),
      expect.stringContaining('no timers'),
    ]);
  });

  it('allows zod, jsonata, the permission matrix and fixed dates in flows/', async () => {
    const found = await problems(
      [
        "import { z } from 'zod';",
        "import jsonata from 'jsonata';",
        "import { ROLES } from '../../db/rbac/matrix';",
        "export const all = [z, jsonata, ROLES, new Date('2030-01-01T00:00:00Z')];",
      ].join('\n'),
      'flows',
    );
    expect(found).toEqual([]);
  });

  it('allows the same imports outside workflows/', async () => {
    expect(await problems("import fs from 'node:fs';\nexport const f = fs;\n", 'activities')).toEqual([]);
  });
});
