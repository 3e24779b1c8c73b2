// Boots the built worker (no HTTP listener) against the machine's services and stops it with
// SIGTERM: proves it starts, wires every processor, and shuts down cleanly.
const { spawn } = require('node:child_process');
const { join } = require('node:path');

const child = spawn(process.execPath, [join(__dirname, '..', 'dist/apps/worker/src/main.js')], {
  env: {
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    DATABASE_MIGRATE: 'false',
    LOG_LEVEL: 'info',
    QUEUE_PREFIX: `bootcheck${process.pid}`,
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let output = '';
const timer = setTimeout(() => {
  console.error('worker did not report ready within 60 s');
  child.kill('SIGKILL');
  process.exit(1);
}, 60_000);
child.stdout.on('data', (chunk) => {
  output += chunk;
  if (output.includes('Worker ready')) child.kill('SIGTERM');
});
// Nest's shutdown hooks close everything, then re-raise the signal: ending by SIGTERM is clean.
child.on('exit', (code, signal) => {
  clearTimeout(timer);
  if (!output.includes('Worker ready') || !(code === 0 || signal === 'SIGTERM')) {
    console.error(`worker boot check failed (exit ${code}, signal ${signal})\n${output.slice(-2000)}`);
    process.exit(1);
  }
  console.log('Worker booted and stopped cleanly.');
});
