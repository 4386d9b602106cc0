import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, copyFileSync, existsSync, mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StartupError } from './errors';
import { say } from './progress';

/*
 * The pinned Temporal CLI (it embeds the dev server and the Web UI). v1.5.1 is the newest tag
 * that `go install …@version` accepts: later tags carry `replace` directives in go.mod.
 * Nothing is downloaded as a binary: we use one on PATH, or build it once from source with Go.
 */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const MODULE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;
const MIN_GO = [1, 25] as const;

const HOW_TO_INSTALL =
  'The Temporal CLI is needed to run the local Temporal server, and it was not found. Either put a ' +
  '`temporal` binary on PATH (see https://docs.temporal.io/cli#install), or install Go 1.25+ so ' +
  `Flowline can build ${TEMPORAL_CLI_VERSION} once, or set TEMPORAL_ADDRESS to an existing Temporal server.`;

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(binary: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    const candidate = path.join(dir, binary);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Built binaries are kept per user, outside any clone, so fresh clones reuse them. */
export function cachedCliPath(): string {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'flowline', `temporal-${TEMPORAL_CLI_VERSION}`);
}

function goVersion(go: string): [number, number] | undefined {
  const out = spawnSync(go, ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout?.trim() ?? '';
  const m = /^go(\d+)\.(\d+)/.exec(out);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export interface CliLookup {
  /** Where to look for `temporal` and `go` (default: PATH). */
  searchPath?: string;
  /** Go is often installed outside PATH; these are tried after it. */
  goFallbacks?: string[];
}

function findGo(lookup: Required<CliLookup>): string | undefined {
  return onPath('go', lookup.searchPath) ?? lookup.goFallbacks.find(isExecutable);
}

async function buildWithGo(go: string, toolsBin: string): Promise<string> {
  const version = goVersion(go);
  if (!version || version[0] < MIN_GO[0] || (version[0] === MIN_GO[0] && version[1] < MIN_GO[1])) {
    throw new StartupError(`${HOW_TO_INSTALL} (Found Go ${version?.join('.') ?? 'of unknown version'}, which is older than 1.25.)`);
  }
  say(`temporal cli: building ${TEMPORAL_CLI_VERSION} from source with Go (one time, several minutes)...`);
  mkdirSync(toolsBin, { recursive: true });
  const started = Date.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(go, ['install', MODULE], {
      env: { ...process.env, GOBIN: toolsBin },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('exit', resolve);
    child.on('error', () => resolve(null));
  });
  const built = path.join(toolsBin, 'temporal');
  if (code !== 0 || !existsSync(built)) {
    throw new StartupError(`Building the Temporal CLI with Go failed (exit ${code}); see the Go output above. ${HOW_TO_INSTALL}`);
  }
  say(`temporal cli: built in ${Math.round((Date.now() - started) / 1000)} s`);
  // Keep a copy for other clones; write-then-rename so a half-copied file is never used.
  const cached = cachedCliPath();
  mkdirSync(path.dirname(cached), { recursive: true });
  const partial = `${cached}.partial-${process.pid}`;
  copyFileSync(built, partial);
  renameSync(partial, cached);
  return built;
}

/** Returns the path of a usable `temporal` binary, building it once if needed. */
export async function ensureTemporalCli(root: string, options: CliLookup = {}): Promise<string> {
  const lookup = { searchPath: options.searchPath ?? process.env.PATH ?? '', goFallbacks: options.goFallbacks ?? ['/usr/local/go/bin/go'] };
  const fromPath = onPath('temporal', lookup.searchPath);
  if (fromPath) {
    say(`temporal cli: ${fromPath} (from PATH)`);
    return fromPath;
  }
  const toolsBin = path.join(root, '.tools', 'bin');
  const local = path.join(toolsBin, 'temporal');
  if (isExecutable(local)) {
    say(`temporal cli: .tools/bin/temporal`);
    return local;
  }
  const cached = cachedCliPath();
  if (isExecutable(cached)) {
    mkdirSync(toolsBin, { recursive: true });
    rmSync(local, { force: true });
    symlinkSync(cached, local);
    say(`temporal cli: ${cached} (cached build)`);
    return local;
  }
  const go = findGo(lookup);
  if (!go) throw new StartupError(HOW_TO_INSTALL);
  return buildWithGo(go, toolsBin);
}
