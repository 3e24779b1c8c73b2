// `npm run env:init` (or `node scripts/env-init.js` where npm is not at hand): writes `.env` for
// docker compose with fresh secrets, shared by the api and the worker, so URLs and tokens one
// process signs verify in the other. Refuses to overwrite an existing `.env` (pass --force).
const { randomBytes } = require('node:crypto');
const { existsSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const target = join(__dirname, '..', '.env');
if (existsSync(target) && !process.argv.includes('--force')) {
  process.stderr.write(`${target} exists; keep it, or run again with --force to replace its secrets.\n`);
  process.exit(1);
}
const secret = (bytes) => randomBytes(bytes).toString('hex');
const lines = [
  '# Written by `npm run env:init`. Every variable is described in config/.env.example.',
  'NODE_ENV=production',
  `JWT_SECRET=${secret(32)}`,
  `TOKEN_ENCRYPTION_KEY=${secret(32)}`,
  `STORAGE_SIGNING_SECRET=${secret(24)}`,
  `POSTGRES_PASSWORD=${secret(16)}`,
  '# The public address of the api (links in mails, image URLs handed to platforms).',
  'APP_URL=http://localhost:3000',
  '# The first administrator, created at start when missing (ADMIN_PASSWORD: 10+ characters).',
  'ADMIN_EMAIL=',
  'ADMIN_PASSWORD=',
  '',
];
writeFileSync(target, lines.join('\n'), { mode: 0o600 });
process.stdout.write(
  `Wrote ${target} with fresh secrets. Set APP_URL and the admin, then: docker compose up -d\n`,
);
