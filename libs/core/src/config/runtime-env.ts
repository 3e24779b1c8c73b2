import { Env, parseEnv } from './env.schema';

/** The process environment, validated. Used before Nest boots (infrastructure, CLI scripts). */
export function loadEnv(): Env {
  return parseEnv(process.env);
}

/**
 * Records URLs discovered at start-up (an embedded PostgreSQL or Redis) so that the Nest config
 * module, which reads the environment, sees them like any configured value.
 */
export function setRuntimeEnv(values: Partial<Record<'DATABASE_URL' | 'REDIS_URL', string>>): void {
  for (const [key, value] of Object.entries(values)) if (value) process.env[key] = value;
}
