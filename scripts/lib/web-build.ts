import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { StartupError } from './errors';
import { say } from './progress';

function newestMtime(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(p).map((e) => newestMtime(path.join(p, e))));
}

/** Builds web/ with Vite when the build is missing or older than its sources. */
export function ensureWebBuild(root: string): void {
  const web = path.join(root, 'web');
  const index = path.join(web, 'dist', 'index.html');
  // The app also bundles the shared permission matrix from db/, the flow engine (node types,
  // compiler) from flows/ and the commission rules from commissions/: a change must reach it.
  const sources = [
    ...['src', 'index.html', 'vite.config.mts'].map((p) => path.join(web, p)),
    path.join(root, 'db', 'rbac', 'matrix.ts'),
    path.join(root, 'flows'),
    path.join(root, 'commissions'),
  ];
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources.map(newestMtime))) {
    say('web: build is up to date');
    return;
  }
  say('web: building with Vite...');
  // A child process: Vite is ESM-only and this code also runs inside jest's CommonJS runtime.
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: web,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new StartupError('Building the web app failed: see the Vite output above.');
  say('web: built');
}
