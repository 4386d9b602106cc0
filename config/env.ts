import { z } from 'zod';

/**
 * Runtime configuration of the api and worker processes. This is the only module that reads
 * `process.env` for them (a test enforces it), so this schema is the complete list of what a
 * deployment must wire: docker-compose is checked against `RUNTIME_ENV_KEYS`.
 */
const runtimeEnvSchema = z.object({
  DATABASE_URL: z.string().url(),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('flowline'),
  TEMPORAL_UI_URL: z.string().url().default('http://localhost:8233'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  READYZ_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  READYZ_CACHE_MS: z.coerce.number().int().nonnegative().default(10000),
  WEB_DIST_DIR: z.string().min(1).default('web/dist'),
  // Signs access tokens (HS256). Share it with a Supabase project to accept its tokens too.
  // Only the API needs it; `npm start` generates one into the data directory.
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(3600).default(30 * 86_400),
  LOGIN_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  LOGIN_RATE_LIMIT_PER_IP: z.coerce.number().int().positive().default(50),
  LOGIN_RATE_LIMIT_PER_EMAIL: z.coerce.number().int().positive().default(10),
  // A pre-built workflow bundle (bundleWorkflowCode output): the worker starts without bundling.
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  // OpenAI-compatible endpoint for ai.llm nodes (any server speaking Chat Completions).
  OPENAI_BASE_URL: z.string().url().default('https://api.openai.com/v1'),
  OPENAI_API_KEY: z.string().min(1).optional(),
  LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  // An embeddings model on the same endpoint (e.g. text-embedding-3-small): bots' knowledge is then
  // retrieved by full text and embeddings together. Unset: full-text retrieval only.
  FLOWLINE_EMBEDDINGS_MODEL: z.string().min(1).optional(),
  // Receipts: the vision-capable model on the same endpoint that reads them, the largest file
  // accepted, and where files are kept (local disk by default, or S3-compatible storage).
  RECEIPTS_MODEL: z.string().min(1).default('gpt-4o-mini'),
  RECEIPTS_MAX_BYTES: z.coerce.number().int().positive().max(50 * 1024 * 1024).default(10 * 1024 * 1024),
  RECEIPTS_STORAGE: z.enum(['local', 's3']).default('local'),
  RECEIPTS_DIR: z.string().min(1).default('.data/receipts'),
  RECEIPTS_S3_BUCKET: z.string().min(1).optional(),
  RECEIPTS_S3_REGION: z.string().min(1).optional(),
  RECEIPTS_S3_ENDPOINT: z.string().url().optional(),
  RECEIPTS_S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  RECEIPTS_S3_PREFIX: z.string().min(1).optional(),
  RECEIPTS_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  RECEIPTS_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  // Retention archive (organizations with archiveBeforeDelete): JSON lines on local disk, or in
  // the receipts' S3 bucket (RECEIPTS_S3_*) under ARCHIVE_S3_PREFIX.
  ARCHIVE_STORAGE: z.enum(['local', 's3']).default('local'),
  ARCHIVE_DIR: z.string().min(1).default('.data/archive'),
  ARCHIVE_S3_PREFIX: z.string().min(1).default('archive'),
  // http.request nodes may not reach loopback/private/link-local addresses unless this is set.
  HTTP_ALLOW_PRIVATE_NETWORKS: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  HTTP_MAX_RESPONSE_BYTES: z.coerce.number().int().positive().default(5 * 1024 * 1024),
  // Webhook bodies above this answer 413.
  WEBHOOK_MAX_BODY_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
  // Seals integration credentials at rest (AES-256-GCM): one base64 key of 32 bytes, or a ring
  // "k2:<base64>,k1:<base64>" (the first seals, all open). `npm start` generates one.
  FLOWLINE_ENCRYPTION_KEY: z.string().min(1).optional(),
  // Emails of platform operators: the codec endpoint decodes payloads under the platform key
  // (failures, results naming no organization) only for them. Comma-separated.
  FLOWLINE_PLATFORM_OPERATORS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((e) => e.trim().toLowerCase()).filter(Boolean)),
  // GoHighLevel (LeadConnector API v2). The base URL points at the fake GHL in development.
  GHL_BASE_URL: z.string().url().default('https://services.leadconnectorhq.com'),
  // OAuth marketplace app (optional: a private integration token connects without it).
  GHL_OAUTH_CLIENT_ID: z.string().min(1).optional(),
  GHL_OAUTH_CLIENT_SECRET: z.string().min(1).optional(),
  GHL_OAUTH_AUTHORIZE_URL: z.string().url().default('https://marketplace.gohighlevel.com/oauth/chooselocation'),
  // Public keys that sign GHL webhooks: Ed25519 (x-ghl-signature) and RSA (x-wh-signature, GHL's published key by default).
  GHL_WEBHOOK_ED25519_PUBLIC_KEY: z.string().min(1).optional(),
  GHL_WEBHOOK_RSA_PUBLIC_KEY: z.string().min(1).optional(),
  // A sandbox location (the fake GHL `npm start` runs): members may connect it without a token.
  GHL_SANDBOX_LOCATION_ID: z.string().min(1).optional(),
  GHL_SANDBOX_COMPANY_ID: z.string().min(1).optional(),
  GHL_SANDBOX_TOKEN: z.string().min(1).optional(),
  // Behind a reverse proxy, the number of proxy hops to trust for the client IP (rate limits).
  TRUST_PROXY_HOPS: z.coerce.number().int().nonnegative().default(0),
});

export type RuntimeEnv = z.infer<typeof runtimeEnvSchema>;
export const RUNTIME_ENV_KEYS = Object.keys(runtimeEnvSchema.shape) as (keyof RuntimeEnv)[];

/** Thrown with a one-line, human explanation; entry points print it without a stack trace. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadRuntimeEnv(source: NodeJS.ProcessEnv = process.env): RuntimeEnv {
  // An empty variable means "not set", so its default applies.
  const parsed = runtimeEnvSchema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration (${problems}). See the configuration table in README.md.`);
  }
  return parsed.data;
}
