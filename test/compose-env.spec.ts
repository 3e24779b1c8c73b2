import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Docker is not on the CI machines: this checks the production compose file by reading it. Every
// variable it passes to Atelier, interpolates from .env, or env:init writes must be one that
// config/.env.example documents, so the two cannot drift apart.
const root = join(__dirname, '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

const documented = new Set(
  [...read('config/.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]),
);
const compose = read('docker-compose.yml');

/** The keys of the app services' shared `environment` block. */
function appEnvironment(): string[] {
  const block = /^ {2}environment: &app-env\n((?: {4}.*\n|\s*#.*\n)+)/m.exec(compose);
  if (!block) throw new Error('docker-compose.yml: no `environment: &app-env` block');
  return [...block[1].matchAll(/^ {4}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]);
}

describe('docker-compose.yml and config/.env.example', () => {
  it('the api and worker get only documented variables, in production mode and with their secrets', () => {
    const names = appEnvironment();
    expect(names.filter((name) => !documented.has(name))).toEqual([]);
    expect(names).toEqual(
      expect.arrayContaining(['NODE_ENV', 'JWT_SECRET', 'TOKEN_ENCRYPTION_KEY', 'STORAGE_SIGNING_SECRET']),
    );
    expect(compose).toMatch(/^ {4}NODE_ENV: production$/m);
    expect(compose).toMatch(/^ {4}WORKER_EMBEDDED: 'false'$/m);
  });

  it('every ${VARIABLE} it reads from .env, and every one env:init writes, is documented', () => {
    const interpolated = [...compose.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]);
    const written = [...read('scripts/env-init.js').matchAll(/'([A-Z][A-Z0-9_]*)=/g)].map((m) => m[1]);
    written.push(...[...read('scripts/env-init.js').matchAll(/`([A-Z][A-Z0-9_]*)=/g)].map((m) => m[1]));
    expect(written).toEqual(
      expect.arrayContaining(['JWT_SECRET', 'TOKEN_ENCRYPTION_KEY', 'POSTGRES_PASSWORD']),
    );
    expect([...interpolated, ...written].filter((name) => !documented.has(name))).toEqual([]);
  });

  it('both app services share the .env file and have health checks', () => {
    expect(compose).toMatch(/^ {2}env_file: \[\.env\]$/m);
    for (const service of ['db', 'redis', 'api', 'worker']) {
      const section = new RegExp(`^ {2}${service}:\\n((?: {4}.*\\n| {6,}.*\\n)+)`, 'm').exec(compose);
      expect(section?.[1]).toMatch(/healthcheck:/);
    }
  });
});
