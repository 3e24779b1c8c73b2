import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

/**
 * Finds the writes to database tables in the libs' sources, and which lib owns each table, so
 * `table-ownership.spec.ts` can fail on a write from outside the owner. Syntax only (no type
 * checker): fast, and precise enough for this codebase's two persistence styles, TypeORM
 * repositories/query builders and raw SQL strings.
 */

export interface LibSource {
  /** Relative to the repository root, with forward slashes. */
  path: string;
  text: string;
}

export interface TableOwner {
  entity: string;
  table: string;
  lib: string;
  path: string;
}

export interface TableWrite {
  path: string;
  line: number;
  /** The lib whose code writes. */
  lib: string;
  table: string;
  /** `entity Image.update`, `raw SQL UPDATE images`, … */
  how: string;
}

/** Repository, entity-manager and query-builder methods that change rows. */
const WRITE_METHODS = new Set([
  'save',
  'insert',
  'update',
  'upsert',
  'delete',
  'remove',
  'softDelete',
  'softRemove',
  'restore',
  'recover',
  'increment',
  'decrement',
  'clear',
]);
/** Calls that hand back something bound to the entity named by their first argument. */
const ENTITY_BINDING_METHODS = new Set([
  'getRepository',
  'getTreeRepository',
  'createQueryBuilder',
  'create',
]);
const REPOSITORY_TYPES = new Set(['Repository', 'TreeRepository']);
const RAW_SQL_WRITES = [
  /\bINSERT\s+INTO\s+(?:ONLY\s+)?(?:\w+\.)?"?(\w+)"?/gi,
  /\bUPDATE\s+(?:ONLY\s+)?(?:\w+\.)?"?(\w+)"?(?:\s+(?:AS\s+)?\w+)?\s+SET\b/gi,
  /\bDELETE\s+FROM\s+(?:ONLY\s+)?(?:\w+\.)?"?(\w+)"?/gi,
  /\bTRUNCATE\s+(?:TABLE\s+)?(?:ONLY\s+)?(?:\w+\.)?"?(\w+)"?/gi,
];

/** `libs/<lib>/src/…` → `<lib>`. */
export function libOf(path: string): string | undefined {
  return /^libs\/([^/]+)\/src\//.exec(path)?.[1];
}

/** Every TypeScript source under `libs/*\/src`, without specs, declarations and migrations. */
export function readLibSources(root: string): LibSource[] {
  const sources: LibSource[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'migrations' && entry.name !== 'node_modules') walk(full);
      } else if (/\.ts$/.test(entry.name) && !/\.(spec|e2e-spec|d)\.ts$/.test(entry.name)) {
        sources.push({ path: relative(root, full).split('\\').join('/'), text: readFileSync(full, 'utf8') });
      }
    }
  };
  for (const lib of readdirSync(join(root, 'libs'), { withFileTypes: true })) {
    if (!lib.isDirectory()) continue;
    const src = join(root, 'libs', lib.name, 'src');
    try {
      walk(src);
    } catch {
      // a lib folder without src/ has no code to check
    }
  }
  return sources;
}

/** Each `@Entity('table')` class and the lib that declares it: the table's owner. */
export function tableOwners(sources: LibSource[]): TableOwner[] {
  const owners: TableOwner[] = [];
  for (const source of sources) {
    const lib = libOf(source.path);
    if (!lib) continue;
    visit(parse(source), (node) => {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const entity = ts.getDecorators(node)?.find((d) => calledName(d.expression) === 'Entity');
      if (!entity) return;
      const [arg] = (entity.expression as ts.CallExpression).arguments ?? [];
      const table = arg && ts.isStringLiteralLike(arg) ? arg.text : snakeCase(node.name.text);
      owners.push({ entity: node.name.text, table, lib, path: source.path });
    });
  }
  return owners;
}

/** Every write in one source that can be tied to a known entity or table, whoever owns it. */
export function tableWrites(source: LibSource, owners: TableOwner[]): TableWrite[] {
  const lib = libOf(source.path);
  if (!lib) return [];
  const file = parse(source);
  const byEntity = new Map(owners.map((o) => [o.entity, o]));
  const tables = new Set(owners.map((o) => o.table));
  const bound = boundNames(file, byEntity);
  const writes: TableWrite[] = [];
  const record = (node: ts.Node, table: string, how: string) =>
    writes.push({ path: source.path, line: lineOf(file, node), lib, table, how });

  visit(file, (node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const written = writtenEntity(node, method, byEntity, bound);
      if (written) record(node, byEntity.get(written)!.table, `entity ${written}.${method}`);
    }
    const sql = sqlText(node);
    if (sql === undefined) return;
    for (const pattern of RAW_SQL_WRITES) {
      for (const match of sql.matchAll(pattern)) {
        const table = match[1].toLowerCase();
        if (tables.has(table)) record(node, table, `raw SQL ${match[0].split(/\s+/).slice(0, 2).join(' ')}`);
      }
    }
  });
  return writes;
}

/** The entity a call writes, if it is a write and its target can be told from the syntax. */
function writtenEntity(
  call: ts.CallExpression,
  method: string,
  byEntity: Map<string, TableOwner>,
  bound: Map<string, string>,
): string | undefined {
  const receiver = (call.expression as ts.PropertyAccessExpression).expression;
  // Query builders name their table late: `.insert().into(X)`, `.delete().from(X)`.
  if (method === 'into') return entityArgument(call, byEntity, bound);
  if (method === 'from' && chainCalls(receiver).includes('delete'))
    return entityArgument(call, byEntity, bound);
  if (!WRITE_METHODS.has(method)) return undefined;
  return entityArgument(call, byEntity, bound) ?? entityOf(receiver, byEntity, bound);
}

/** `manager.update(X, …)`, `qb.update(X)`, `manager.save(manager.create(X, …))`, `manager.save(x)`. */
function entityArgument(
  call: ts.CallExpression,
  byEntity: Map<string, TableOwner>,
  bound: Map<string, string>,
): string | undefined {
  const arg = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
  if (!arg) return undefined;
  if (ts.isIdentifier(arg)) return byEntity.has(arg.text) ? arg.text : bound.get(`entity:${arg.text}`);
  if (ts.isCallExpression(arg) && calledName(arg) === 'create') return entityArgument(arg, byEntity, bound);
  return undefined;
}

/** The entity a repository, query builder or entity-manager chain is bound to, if any. */
function entityOf(
  expression: ts.Expression,
  byEntity: Map<string, TableOwner>,
  bound: Map<string, string>,
): string | undefined {
  const node = unwrap(expression);
  if (ts.isIdentifier(node)) return bound.get(node.text);
  if (ts.isPropertyAccessExpression(node)) return bound.get(node.name.text);
  if (!ts.isCallExpression(node)) return undefined;
  const method = calledName(node);
  if (method && ENTITY_BINDING_METHODS.has(method)) {
    const named = entityArgument(node, byEntity, bound);
    if (named) return named;
  }
  return ts.isPropertyAccessExpression(node.expression)
    ? entityOf(node.expression.expression, byEntity, bound)
    : undefined;
}

/**
 * Names bound to an entity in this file: repository fields and parameters (`Repository<X>`,
 * `@InjectRepository(X)`), and variables holding a repository or query builder (`name` → X) or a
 * new entity (`entity:name` → X, from `create(X, …)` or `new X()`). File-wide, ignoring scopes.
 */
function boundNames(file: ts.SourceFile, byEntity: Map<string, TableOwner>): Map<string, string> {
  const bound = new Map<string, string>();
  visit(file, (node) => {
    if (!(ts.isParameter(node) || ts.isPropertyDeclaration(node)) || !ts.isIdentifier(node.name)) return;
    const injected = ts.getDecorators(node)?.find((d) => calledName(d.expression) === 'InjectRepository')
      ?.expression as ts.CallExpression | undefined;
    const injectedEntity = injected?.arguments[0];
    if (injectedEntity && ts.isIdentifier(injectedEntity) && byEntity.has(injectedEntity.text)) {
      bound.set(node.name.text, injectedEntity.text);
      return;
    }
    const type = node.type;
    if (type && ts.isTypeReferenceNode(type) && REPOSITORY_TYPES.has(type.typeName.getText(file))) {
      const [argument] = type.typeArguments ?? [];
      const name = argument?.getText(file);
      if (name && byEntity.has(name)) bound.set(node.name.text, name);
    }
  });
  visit(file, (node) => {
    if (!ts.isVariableDeclaration(node) || !ts.isIdentifier(node.name) || !node.initializer) return;
    // An awaited value is rows, not a repository or builder.
    if (ts.isAwaitExpression(node.initializer)) return;
    const init = unwrap(node.initializer);
    if (ts.isNewExpression(init) && ts.isIdentifier(init.expression) && byEntity.has(init.expression.text)) {
      bound.set(`entity:${node.name.text}`, init.expression.text);
    } else if (ts.isCallExpression(init) && calledName(init) === 'create') {
      const created = entityArgument(init, byEntity, bound);
      if (created) bound.set(`entity:${node.name.text}`, created);
    } else {
      const entity = entityOf(init, byEntity, bound);
      if (entity) bound.set(node.name.text, entity);
    }
  });
  return bound;
}

/** The text of a string or template literal (substitutions as `$?`); undefined for other nodes. */
function sqlText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    return node.head.text + node.templateSpans.map((span) => ` $? ${span.literal.text}`).join('');
  }
  return undefined;
}

/** Method names called along a chain, innermost last: `a.b().c()` → ['c', 'b']. */
function chainCalls(expression: ts.Expression): string[] {
  const names: string[] = [];
  let node = unwrap(expression);
  while (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    names.push(node.expression.name.text);
    node = unwrap(node.expression.expression);
  }
  return names;
}

function calledName(expression: ts.Expression): string | undefined {
  if (!ts.isCallExpression(expression)) return undefined;
  const callee = expression.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

function unwrap(expression: ts.Expression): ts.Expression {
  let node = expression;
  while (
    ts.isParenthesizedExpression(node) ||
    ts.isAwaitExpression(node) ||
    ts.isNonNullExpression(node) ||
    ts.isAsExpression(node)
  ) {
    node = node.expression;
  }
  return node;
}

function visit(node: ts.Node, callback: (node: ts.Node) => void): void {
  callback(node);
  ts.forEachChild(node, (child) => visit(child, callback));
}

function parse(source: LibSource): ts.SourceFile {
  return ts.createSourceFile(source.path, source.text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

function lineOf(file: ts.SourceFile, node: ts.Node): number {
  return file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
}

function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
