import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { TEST_ENCRYPTION_KEY } from './integrations';
import { stackEnv } from './stack-env';

const ROOT = path.resolve(__dirname, '..', '..');

/** The real worker entry point (workers/main.ts) as its own process, so a test can SIGKILL it. */
export function spawnWorker(taskQueue: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: stackEnv.appDatabaseUrl,
      TEMPORAL_ADDRESS: stackEnv.temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKFLOW_BUNDLE_PATH: stackEnv.workflowBundlePath,
      // Tests call fake third parties on 127.0.0.1.
      HTTP_ALLOW_PRIVATE_NETWORKS: 'true',
      LOG_LEVEL: 'warn',
      // The run's key: this worker opens what the test's app and workers encrypted.
      FLOWLINE_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    },
    stdio: 'ignore',
  });
}
