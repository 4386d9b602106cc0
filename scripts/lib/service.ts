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

/**
 * Signals a child and escalates to SIGKILL if it does not exit in time. Safe when the child has
 * already exited (a terminal Ctrl-C reaches the whole process group, children included).
 */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}
