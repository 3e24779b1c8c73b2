// `npm run migration:generate -- Name [--libs users,images]`: writes migrations/<ts>-Name.ts with
// what the entities need beyond the existing migrations. `--libs` limits the entities to some
// libs, so one lib's migration is not polluted by another's work in progress.
const { execFileSync } = require('node:child_process');
const { withScratchDatabase } = require('./migration-db');

const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith('--'));
const libsIndex = args.indexOf('--libs');
if (!name) {
  console.error('usage: npm run migration:generate -- Name [--libs users,images]');
  process.exit(2);
}
const cli = ['-r', './scripts/ts-register.js', './node_modules/typeorm/cli.js'];

withScratchDatabase(async (url) => {
  const env = { ...process.env, DATABASE_URL: url };
  if (libsIndex >= 0) env.ENTITY_LIBS = args[libsIndex + 1];
  execFileSync('node', [...cli, 'migration:run', '-d', 'config/data-source.ts'], { env, stdio: 'inherit' });
  execFileSync(
    'node',
    [...cli, 'migration:generate', `migrations/${name}`, '-p', '-d', 'config/data-source.ts'],
    {
      env,
      stdio: 'inherit',
    },
  );
}).catch((error) => {
  console.error(error.message);
  process.exit(1);
});
