// Fails when the entities and the migrations disagree: apply every migration to a scratch
// database, then ask TypeORM whether it would generate anything more.
const { execFileSync } = require('node:child_process');
const { withScratchDatabase } = require('./migration-db');

const cli = ['-r', './scripts/ts-register.js', './node_modules/typeorm/cli.js'];

withScratchDatabase(async (url) => {
  const env = { ...process.env, DATABASE_URL: url };
  execFileSync('node', [...cli, 'migration:run', '-d', 'config/data-source.ts'], { env, stdio: 'inherit' });
  execFileSync(
    'node',
    [...cli, 'migration:generate', 'migrations/Pending', '--check', '-d', 'config/data-source.ts'],
    {
      env,
      stdio: 'inherit',
    },
  );
  console.log('Migrations match the entities.');
}).catch((error) => {
  console.error(error.message);
  process.exit(1);
});
