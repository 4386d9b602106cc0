import path from 'node:path';
import { z } from 'zod';

/** Settings of the local launcher (`npm start`, the test setup); the app itself never reads these. */
const launcherEnvSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  FLOWLINE_DATA_DIR: z.string().min(1).default('.data'),
  FLOWLINE_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  FLOWLINE_PG_PASSWORD: z.string().min(1).default('flowline'),
  TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  // The fake GHL as a sandbox location: `auto` runs it unless a real GHL_BASE_URL is set.
  FLOWLINE_GHL_SANDBOX: z.enum(['auto', 'true', 'false']).default('auto'),
  FLOWLINE_GHL_SANDBOX_PORT: z.coerce.number().int().min(1).max(65535).default(4010),
  GHL_BASE_URL: z.string().url().optional(),
  // The fake OpenAI-compatible server as the sandbox model: `auto` runs it unless OPENAI_API_KEY is set.
  FLOWLINE_LLM_SANDBOX: z.enum(['auto', 'true', 'false']).default('auto'),
  FLOWLINE_LLM_SANDBOX_PORT: z.coerce.number().int().min(1).max(65535).default(4020),
  OPENAI_API_KEY: z.string().optional(),
});

export type LauncherEnv = z.infer<typeof launcherEnvSchema> & { root: string; dataDir: string };

export const ROOT = path.resolve(__dirname, '..', '..');

export function loadLauncherEnv(source: NodeJS.ProcessEnv = process.env): LauncherEnv {
  // An empty variable (`DATABASE_URL= npm start`) means "not set", as in most tools.
  const set = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const env = launcherEnvSchema.parse(set);
  return { ...env, root: ROOT, dataDir: path.resolve(ROOT, env.FLOWLINE_DATA_DIR) };
}
