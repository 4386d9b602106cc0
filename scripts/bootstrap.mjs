#!/usr/bin/env node
// Entry point of `npm start` and `npm test`. It runs before dependencies may exist, so it is
// plain Node with no imports outside the standard library. It installs what is missing
// (idempotently), then hands over to the TypeScript launcher or to jest.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [mode, ...args] = process.argv.slice(2);
const say = (msg) => console.log(`[flowline] ${msg}`);

function fail(msg) {
  console.error(`[flowline] ${msg}`);
  process.exit(1);
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) fail(`Node ${process.versions.node} is too old: install Node 20.19 or newer.`);
}

/** npm writes node_modules/.package-lock.json on every install; older than the lock = stale. */
function ensureDependencies() {
  const hidden = path.join(root, 'node_modules', '.package-lock.json');
  const mtime = (f) => statSync(f).mtimeMs;
  const fresh =
    existsSync(hidden) &&
    mtime(hidden) >= mtime(path.join(root, 'package-lock.json')) &&
    mtime(hidden) >= mtime(path.join(root, 'package.json'));
  if (fresh) return say('dependencies: up to date');
  say('dependencies: installing with npm ci (first run or package-lock.json changed)...');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) fail('npm ci failed: see the output above.');
  say('dependencies: installed');
}

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Browser tests drive Debian's Chromium; install it when we may (root with apt-get). */
function ensureChromium() {
  if (existsSync(CHROMIUM)) return say(`browser: ${CHROMIUM}`);
  const canApt = process.getuid?.() === 0 && spawnSync('which', ['apt-get']).status === 0;
  if (!canApt) {
    say(`browser: ${CHROMIUM} not found; browser tests will fail. Install it (Debian: sudo apt-get install chromium) or set CHROMIUM_PATH.`);
    return;
  }
  say('browser: installing Debian chromium with apt-get (one time)...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const r = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  if (r.status !== 0) say('browser: apt-get install chromium failed; browser tests will fail.');
}

async function start() {
  // In-process (no extra Node layer between the terminal and the launcher's signal handling).
  const { register } = await import('tsx/cjs/api');
  register();
  createRequire(import.meta.url)(path.join(root, 'scripts', 'start.ts'));
}

function test() {
  const results = path.join(root, '.data', 'jest-results.json');
  const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
  const child = spawn(process.execPath, [jest, '--json', `--outputFile=${results}`, ...args], { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', async (code, signal) => {
    try {
      const { readFile } = await import('node:fs/promises');
      const r = JSON.parse(await readFile(results, 'utf8'));
      // The one plain summary line CI reads.
      console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests + r.numRuntimeErrorTestSuites} failed`);
    } catch {
      console.log('tests: 0 passed, 1 failed');
    }
    process.exit(code ?? (signal ? 1 : 0));
  });
}

checkNode();
ensureDependencies();
if (mode === 'start') await start();
else if (mode === 'test') {
  ensureChromium();
  test();
} else fail(`unknown mode "${mode}" (expected start or test)`);
