import { availableParallelism } from 'node:os';
import { InvalidEnvError, parseEnv } from './env.schema';

const TOKEN_KEY = 'ab'.repeat(32);
const JWT = 'j'.repeat(32);
const SIGNING = 's'.repeat(16);
const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_SECRET: JWT,
  TOKEN_ENCRYPTION_KEY: TOKEN_KEY,
  STORAGE_SIGNING_SECRET: SIGNING,
};

/** The message of parseEnv's error, or a failure when it parsed. */
function problems(raw: Record<string, string | undefined>): string {
  try {
    parseEnv(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEnvError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('parseEnv', () => {
  it('gives every default from an empty environment', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      CORS_ORIGINS: ['*'],
      FEATURES: ['images', 'styles', 'processing', 'scheduler'],
      WORKER_EMBEDDED: true,
      STORAGE_DRIVER: 'local',
      SIGNED_URL_TTL_SECONDS: 300,
      MODERATION_DRIVER: 'none',
      MODERATION_MIN_CONFIDENCE: 80,
      SCHEDULER_REQUIRE_VALIDATED: true,
      SCHEDULER_MAX_LATENESS_MINUTES: 1440,
      ALLOW_PRIVATE_WEBHOOKS: false,
      X_API_URL: 'https://api.x.com',
    });
    expect(env.STORAGE_SIGNING_SECRET).toBeUndefined();
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('coerces numbers, booleans and lists from strings', () => {
    const env = parseEnv({
      PORT: '8080',
      TRUST_PROXY: 'yes',
      WORKER_EMBEDDED: '0',
      MODERATION_MIN_CONFIDENCE: '72.5',
      FEATURES: ' images , scheduler,',
      CORS_ORIGINS: 'https://a.test,https://b.test',
    });
    expect(env).toMatchObject({
      PORT: 8080,
      TRUST_PROXY: true,
      WORKER_EMBEDDED: false,
      MODERATION_MIN_CONFIDENCE: 72.5,
      FEATURES: ['images', 'scheduler'],
      CORS_ORIGINS: ['https://a.test', 'https://b.test'],
    });
  });

  it('treats empty strings as unset', () => {
    expect(parseEnv({ PORT: '', STORAGE_SIGNING_SECRET: '' })).toMatchObject({ PORT: 3000 });
  });

  it.each([
    ['PORT', '70000'],
    ['PORT', 'eighty'],
    ['TRUST_PROXY', 'maybe'],
    ['STORAGE_DRIVER', 'ftp'],
    ['FEATURES', 'images,billing'],
    ['APP_URL', 'not a url'],
    ['STORAGE_SIGNING_SECRET', 'too-short'],
    ['TOKEN_ENCRYPTION_KEY', 'zz'.repeat(32)],
    ['MODERATION_MIN_CONFIDENCE', '101'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    // A list names the bad element too (FEATURES.1).
    expect(problems({ [name]: value })).toMatch(
      new RegExp(`^Invalid configuration: .*\\b${name}(\\.\\d+)?: `),
    );
  });

  it('names every bad variable in one message', () => {
    const message = problems({ PORT: '-1', LOG_LEVEL: 'loud' });
    expect(message).toContain('PORT: ');
    expect(message).toContain('LOG_LEVEL: ');
  });

  describe('production', () => {
    it('starts with JWT_SECRET, TOKEN_ENCRYPTION_KEY and STORAGE_SIGNING_SECRET', () => {
      expect(parseEnv(PRODUCTION)).toMatchObject({ NODE_ENV: 'production', STORAGE_SIGNING_SECRET: SIGNING });
    });

    it.each(['JWT_SECRET', 'TOKEN_ENCRYPTION_KEY', 'STORAGE_SIGNING_SECRET'])('requires %s', (name) => {
      expect(problems({ ...PRODUCTION, [name]: undefined })).toMatch(
        new RegExp(`${name}: is required in production`),
      );
    });

    it('names all the missing secrets at once', () => {
      const message = problems({ NODE_ENV: 'production' });
      for (const name of ['JWT_SECRET', 'TOKEN_ENCRYPTION_KEY', 'STORAGE_SIGNING_SECRET']) {
        expect(message).toContain(`${name}: is required in production`);
      }
    });

    it('does not ask for STORAGE_SIGNING_SECRET with the s3 driver (S3 signs its own URLs)', () => {
      const env = parseEnv({
        ...PRODUCTION,
        STORAGE_SIGNING_SECRET: undefined,
        STORAGE_DRIVER: 's3',
        S3_BUCKET: 'media',
      });
      expect(env.STORAGE_DRIVER).toBe('s3');
    });

    it('leaves the secrets optional outside production', () => {
      expect(() => parseEnv({ NODE_ENV: 'development' })).not.toThrow();
      expect(() => parseEnv({ NODE_ENV: 'test' })).not.toThrow();
    });
  });

  describe('STORAGE_DRIVER=s3', () => {
    it('requires S3_BUCKET', () => {
      expect(problems({ STORAGE_DRIVER: 's3' })).toMatch(/S3_BUCKET: is required when STORAGE_DRIVER=s3/);
    });

    it('accepts a bucket, endpoint and path-style flag', () => {
      expect(
        parseEnv({
          STORAGE_DRIVER: 's3',
          S3_BUCKET: 'media',
          S3_ENDPOINT: 'http://127.0.0.1:9000',
          S3_FORCE_PATH_STYLE: 'true',
        }),
      ).toMatchObject({
        S3_BUCKET: 'media',
        S3_ENDPOINT: 'http://127.0.0.1:9000',
        S3_FORCE_PATH_STYLE: true,
      });
    });

    it('does not require S3_BUCKET with the local driver', () => {
      expect(parseEnv({ STORAGE_DRIVER: 'local' }).S3_BUCKET).toBeUndefined();
    });
  });

  describe('OpenID Connect', () => {
    it('requires OIDC_AUDIENCE with OIDC_ISSUER (else tokens for other apps would pass)', () => {
      expect(problems({ OIDC_ISSUER: 'https://auth.example.test' })).toContain('OIDC_AUDIENCE: ');
      const env = parseEnv({ OIDC_ISSUER: 'https://auth.example.test', OIDC_AUDIENCE: 'atelier' });
      expect(env).toMatchObject({ OIDC_AUDIENCE: 'atelier', OIDC_JWKS_COOLDOWN_SECONDS: 30 });
    });
  });

  describe('worker sizing', () => {
    it('sizes the database pool from JOB_CONCURRENCY when it is unset', () => {
      expect(parseEnv({}).DATABASE_POOL_SIZE).toBe(26);
      expect(parseEnv({ JOB_CONCURRENCY: '40' }).DATABASE_POOL_SIZE).toBe(50);
    });

    it('refuses a pool too small for the job concurrency, naming both', () => {
      expect(problems({ JOB_CONCURRENCY: '16', DATABASE_POOL_SIZE: '10' })).toMatch(
        /DATABASE_POOL_SIZE: must be at least JOB_CONCURRENCY \+ 2 \(18\)/,
      );
      expect(parseEnv({ JOB_CONCURRENCY: '16', DATABASE_POOL_SIZE: '18' }).DATABASE_POOL_SIZE).toBe(18);
    });

    it('keeps the lease heartbeat at most half the lease', () => {
      expect(parseEnv({})).toMatchObject({ JOB_LEASE_SECONDS: 45, JOB_HEARTBEAT_SECONDS: 15 });
      expect(problems({ JOB_LEASE_SECONDS: '20', JOB_HEARTBEAT_SECONDS: '15' })).toContain(
        'JOB_HEARTBEAT_SECONDS: ',
      );
    });
  });

  describe('API_WORKERS', () => {
    it('runs one api process per core unless set', () => {
      expect(parseEnv({}).API_WORKERS).toBe(availableParallelism());
      expect(parseEnv({ API_WORKERS: '1' }).API_WORKERS).toBe(1);
    });

    it('refuses zero and fractions', () => {
      expect(problems({ API_WORKERS: '0' })).toContain('API_WORKERS: ');
      expect(problems({ API_WORKERS: '1.5' })).toContain('API_WORKERS: ');
    });
  });

  describe('APP_URL', () => {
    it.each([
      [{}, 'http://localhost:3000'],
      [{ PORT: '8080' }, 'http://localhost:8080'],
      [{ PORT: '8080', HOST: '127.0.0.1' }, 'http://127.0.0.1:8080'],
      [{ PORT: '8080', HOST: '::' }, 'http://localhost:8080'],
      [{ PORT: '8080', APP_URL: 'https://atelier.example' }, 'https://atelier.example'],
    ])('%j gives %s: the address the server listens on unless set', (raw, expected) => {
      expect(parseEnv(raw).APP_URL).toBe(expected);
    });
  });
});
