// Runs TypeScript entry points (CLI scripts, seeds, the TypeORM CLI) without a build:
// SWC transpiles on the fly and tsconfig-paths resolves the @atelier/* aliases.
process.env.TS_NODE_TRANSPILE_ONLY = 'true';
process.env.TS_NODE_SWC = 'true';
require('ts-node').register({ transpileOnly: true, swc: true });
require('tsconfig-paths').register();
