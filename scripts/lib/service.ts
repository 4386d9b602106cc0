import { type ChildProcess, spawn } from 'node:child_process';
import readline from 'node:readline';

/** Runs a TypeScript entry point as a plain Node child (tsx as a loader, no extra process). */
export function spawnService(name: string, entry: string, env: NodeJS.ProcessEnv, cwd: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => console.log(`[${name}] ${line}`));
  }
  return child;
}
