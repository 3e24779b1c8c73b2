import { transformSync } from '@swc/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import * as ts from 'typescript';

// The tests must run the program that ships: `tsc` (tsconfig.build.json) and the test compiler
// (SWC, from jest.config.js) have to agree on class-field semantics, or DTOs gain own
// `undefined` keys in one build and not the other (which broke uploads once).
const root = join(__dirname, '..');
const probe = `
  function Field(): PropertyDecorator { return () => undefined; }
  class Probe {
    plain?: number;
    @Field() decorated?: string;
    initialised = 1;
  }
  (globalThis as { result?: string[] }).result = Object.keys(new Probe());
`;

function ownKeys(js: string): string[] {
  const sandbox: { result?: string[] } = {};
  runInNewContext(js, sandbox);
  return [...(sandbox.result ?? [])];
}

function tscOutput(): string {
  const file = join(root, 'tsconfig.build.json');
  const config = ts.readConfigFile(file, (path) => readFileSync(path, 'utf8'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root, undefined, file);
  const options = { ...parsed.options, module: ts.ModuleKind.CommonJS, sourceMap: false };
  return ts.transpileModule(probe, { compilerOptions: options }).outputText;
}

function swcOutput(): string {
  const jestConfig = require(join(root, 'jest.config.js')) as {
    projects: { transform: Record<string, [string, Record<string, unknown>]> }[];
  };
  const [, options] = Object.values(jestConfig.projects[0].transform)[0];
  return transformSync(probe, { ...options, filename: 'probe.ts' }).code;
}

describe('one program: build and tests compile class fields alike', () => {
  it('tsc and the test compiler give a class the same own keys', () => {
    const built = ownKeys(tscOutput());
    expect(built).toEqual(['initialised']);
    expect(ownKeys(swcOutput())).toEqual(built);
  });

  it('this very test file was compiled that way', () => {
    class Probe {
      plain?: number;
      initialised = 1;
    }
    expect(Object.keys(new Probe())).toEqual(ownKeys(tscOutput()));
  });
});
