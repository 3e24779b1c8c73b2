// tsc compiles TypeScript only: copy the data files the code reads at run time (word lists,
// SQL, JSON) from the sources into dist/, keeping their paths.
const { cpSync, readdirSync, statSync, mkdirSync } = require('node:fs');
const { join, dirname, relative } = require('node:path');

const root = join(__dirname, '..');
const ASSET = /\.(txt|sql|json)$/;

// libs/client is a package of its own (built by its own tsconfig), not part of the server.
const SKIP = new Set([join(root, 'libs', 'client')]);

function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (SKIP.has(path)) continue;
    if (statSync(path).isDirectory()) copyAssets(path);
    else if (ASSET.test(name)) {
      const target = join(root, 'dist', relative(root, path));
      mkdirSync(dirname(target), { recursive: true });
      cpSync(path, target);
    }
  }
}

for (const dir of ['libs', 'seeds']) copyAssets(join(root, dir));
