// `npm start` on a fresh clone: install dependencies when node_modules is missing, and build
// when dist/ is missing or older than the sources. Plain Node: nothing else is installed yet.
const { execSync } = require('node:child_process');
const { existsSync, statSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const run = (cmd) => execSync(cmd, { cwd: root, stdio: 'inherit' });

if (!existsSync(join(root, 'node_modules'))) {
  console.log('Installing dependencies (npm ci)…');
  run('npm ci');
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const entry = join(root, 'dist/apps/api/src/main.js');
const sources = ['apps', 'libs', 'config', 'migrations', 'seeds']
  .map((d) => join(root, d))
  .filter(existsSync);
const stale = !existsSync(entry) || Math.max(...sources.map(newestMtime)) > statSync(entry).mtimeMs;
if (stale) {
  console.log('Building…');
  run('npm run build --silent');
}
