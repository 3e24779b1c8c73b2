import { availableParallelism } from 'node:os';
import { z } from 'zod';

// Every environment variable Atelier reads, in one validated schema. Values arrive as strings;
// zod coerces and checks them so the rest of the code gets typed, trusted values. (zod 4:
// `.default()` gives the output value as is, so defaults are written in their parsed form.)

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .transform((v) => v === 'true' || v === '1' || v === 'yes')
    .default(fallback);
const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);
const url = z.string().url();
const optionalUrl = url.optional();
const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

/** Connections beyond one per running job: lease renewals, the reconciler, crons. */
const POOL_HEADROOM = 2;
/** What the default pool adds for HTTP requests (the api with an embedded worker). */
const POOL_FOR_REQUESTS = 8;

export const FEATURE_NAMES = ['images', 'styles', 'processing', 'scheduler'] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

/**
 * The generation providers' names. They live here, below every lib, because configuration
 * (DEFAULT_PROVIDER) and plans (users) name providers too; the processing lib's registry
 * (PROVIDER_DESCRIPTORS) must list exactly these, which the compiler checks.
 */
export const PROVIDER_NAMES = ['local', 'openai', 'huggingface', 'comfyui'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: int(3000, 0, 65535),
    HOST: z.string().default('0.0.0.0'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    // Unset: the address this server listens on (see withDerivedDefaults).
    APP_URL: url.optional(),
    // The web client's base URL; mailed links then open its pages instead of the API's own.
    WEB_URL: optionalUrl,
    CORS_ORIGINS: csv.default(['*']),
    TRUST_PROXY: bool(false),
    FEATURES: csv.pipe(z.array(z.enum(FEATURE_NAMES))).default([...FEATURE_NAMES]),
    WORKER_EMBEDDED: bool(true),
    // api processes sharing PORT (Node's cluster); 1 runs the api as one process, as before.
    API_WORKERS: int(availableParallelism(), 1, 256),

    DATABASE_URL: url.optional(),
    // Unset: sized from JOB_CONCURRENCY (see below).
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).optional(),
    DATABASE_MIGRATE: bool(true),
    DATA_DIR: z.string().default('.data'),
    EMBEDDED_POSTGRES_PORT: int(54329, 1, 65535),

    REDIS_URL: url.optional(),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[\w:-]+$/)
      .default('atelier'),

    JWT_SECRET: z.string().min(32).optional(),
    JWT_ACCESS_TTL_SECONDS: int(900, 60),
    REFRESH_TTL_DAYS: int(30, 1),
    AUTH_REQUIRE_VERIFIED_EMAIL: bool(true),
    ADMIN_EMAIL: z.string().email().optional(),
    ADMIN_PASSWORD: z.string().optional(),
    ADMIN_USERNAME: z.string().default('admin'),
    QUEUE_DASHBOARD_USER: z.string().default('admin'),
    QUEUE_DASHBOARD_PASSWORD: z.string().optional(),
    FIEF_WEBHOOK_SECRET: z.string().optional(),
    OIDC_ISSUER: optionalUrl,
    OIDC_AUDIENCE: z.string().min(1).optional(),
    OIDC_JWKS_COOLDOWN_SECONDS: int(30, 0, 3600),
    METRICS_TOKEN: z.string().min(16).optional(),
    RATE_LIMIT_AUTH_PER_MINUTE: int(10, 1),

    SMTP_URL: url.optional(),
    MAIL_FROM: z.string().default('Atelier <no-reply@atelier.local>'),

    STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
    STORAGE_DIR: z.string().default('.data/media'),
    STORAGE_SIGNING_SECRET: z.string().min(16).optional(),
    SIGNED_URL_TTL_SECONDS: int(300, 10),
    S3_BUCKET: z.string().optional(),
    S3_ENDPOINT: optionalUrl,
    S3_REGION: z.string().default('us-east-1'),
    S3_FORCE_PATH_STYLE: bool(false),
    S3_ACCESS_KEY_ID: z.string().optional(),
    S3_SECRET_ACCESS_KEY: z.string().optional(),
    MAX_UPLOAD_BYTES: int(20 * 1024 * 1024, 1024),
    MAX_UPLOAD_PIXELS: int(50_000_000, 1),

    DEFAULT_PROVIDER: z.enum(PROVIDER_NAMES).default('local'),
    OPENAI_API_KEY: z.string().optional(),
    OPENAI_BASE_URL: optionalUrl,
    HF_TOKEN: z.string().optional(),
    HF_ENDPOINT_URL: optionalUrl,
    HF_BASE_URL: optionalUrl,
    COMFYUI_URL: csv.pipe(z.array(url)).optional(),
    PROVIDER_TIMEOUT_SECONDS: int(300, 1),
    JOB_ATTEMPTS: int(3, 1, 20),
    JOB_CONCURRENCY: int(16, 1, 256),
    JOB_RETENTION_DAYS: int(30, 1),
    JOB_LEASE_SECONDS: int(45, 2),
    JOB_HEARTBEAT_SECONDS: int(15, 1),

    MODERATION_DRIVER: z.enum(['none', 'rekognition']).default('none'),
    MODERATION_MIN_CONFIDENCE: z.coerce.number().min(0).max(100).default(80),
    REKOGNITION_ENDPOINT: optionalUrl,
    AWS_REGION: z.string().default('us-east-1'),
    AWS_ACCESS_KEY_ID: z.string().optional(),
    AWS_SECRET_ACCESS_KEY: z.string().optional(),

    TOKEN_ENCRYPTION_KEY: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (32 bytes)')
      .optional(),
    SCHEDULER_REQUIRE_VALIDATED: bool(true),
    SCHEDULER_MAX_LATENESS_MINUTES: int(24 * 60, 1),
    ALLOW_PRIVATE_WEBHOOKS: bool(false),
    GRAPH_API_URL: url.default('https://graph.facebook.com/v21.0'),
    X_API_URL: url.default('https://api.x.com'),
    X_CLIENT_ID: z.string().optional(),
    LINKEDIN_API_URL: url.default('https://api.linkedin.com'),
    LINKEDIN_VERSION: z
      .string()
      .regex(/^\d{6}$/)
      .default('202501'),
  })
  .superRefine((env, ctx) => {
    // Driver-conditional rules: a variable is required only when the driver that needs it is on.
    if (env.STORAGE_DRIVER === 's3' && !env.S3_BUCKET) {
      ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'is required when STORAGE_DRIVER=s3' });
    }
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required in production' });
    }
    // Without an audience, any token the issuer signed for another application would be accepted.
    if (env.OIDC_ISSUER && !env.OIDC_AUDIENCE) {
      ctx.addIssue({
        code: 'custom',
        path: ['OIDC_AUDIENCE'],
        message: 'is required when OIDC_ISSUER is set',
      });
    }
    if (env.NODE_ENV === 'production' && !env.TOKEN_ENCRYPTION_KEY) {
      ctx.addIssue({ code: 'custom', path: ['TOKEN_ENCRYPTION_KEY'], message: 'is required in production' });
    }
    // The api verifies local file URLs that workers sign: a random per-process key would break them.
    if (env.NODE_ENV === 'production' && env.STORAGE_DRIVER === 'local' && !env.STORAGE_SIGNING_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['STORAGE_SIGNING_SECRET'],
        message: 'is required in production with STORAGE_DRIVER=local',
      });
    }
    // Every running job holds at most one connection at a time, and its lease is renewed through
    // the pool: a smaller pool starves heartbeats and the reconciler takes live jobs for lost ones.
    const minimumPool = env.JOB_CONCURRENCY + POOL_HEADROOM;
    if (env.DATABASE_POOL_SIZE !== undefined && env.DATABASE_POOL_SIZE < minimumPool) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_POOL_SIZE'],
        message: `must be at least JOB_CONCURRENCY + ${POOL_HEADROOM} (${minimumPool}), or unset to size it from JOB_CONCURRENCY`,
      });
    }
    if (env.JOB_HEARTBEAT_SECONDS * 2 > env.JOB_LEASE_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['JOB_HEARTBEAT_SECONDS'],
        message: 'must be at most half of JOB_LEASE_SECONDS, so one late renewal does not lose a running job',
      });
    }
  })
  .transform((env) =>
    withDerivedDefaults({
      ...env,
      DATABASE_POOL_SIZE: env.DATABASE_POOL_SIZE ?? env.JOB_CONCURRENCY + POOL_HEADROOM + POOL_FOR_REQUESTS,
    }),
  );

/** Defaults that depend on other variables. */
function withDerivedDefaults<T extends { APP_URL?: string; HOST: string; PORT: number }>(env: T) {
  // A wildcard bind address is not one a browser can open; loopback names this machine.
  const host = ['0.0.0.0', '::', ''].includes(env.HOST) ? 'localhost' : env.HOST;
  const hostname = host.includes(':') ? `[${host}]` : host;
  return { ...env, APP_URL: env.APP_URL ?? `http://${hostname}:${env.PORT}` };
}

export type Env = z.infer<typeof envSchema>;

export class InvalidEnvError extends Error {}

/** Parses raw environment strings; throws one line naming each bad variable. */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  // Empty strings mean "unset", as in most .env files.
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
  throw new InvalidEnvError(`Invalid configuration: ${lines.join('; ')}`);
}
