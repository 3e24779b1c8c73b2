import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiDocument } from '../../libs/core/src';

export interface ContractViolation {
  method: string;
  route: string;
  status: number;
  problem: string;
}

const JSON_TYPES = /^application\/(problem\+)?json\b/;

/**
 * Checks every response the app sends against its own OpenAPI document (the one /docs-json
 * serves): the status must be documented for the operation, and a JSON body must match the
 * schema documented for that status and content type. Installed by startTestApp as a Fastify
 * onSend hook, so it sees what any client (supertest, fetch, the typed client) receives.
 */
export class ContractValidator {
  readonly violations: ContractViolation[] = [];
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private document?: OpenAPIObject;
  private templates?: { pattern: RegExp; path: string }[];

  /** `source` is the app itself (its document is built on first use) or a served document. */
  constructor(private readonly source: NestFastifyApplication | OpenAPIObject) {
    addFormats(this.ajv);
    // Bytes (`format: binary`) are never JSON; the keyword only needs to be known.
    this.ajv.addFormat('binary', true);
    if (!isApp(source)) this.document = source;
  }

  /** Registers the hook on the app; call before it listens. */
  install(): void {
    if (!isApp(this.source)) throw new Error('install() needs the app, not a document');
    this.source
      .getHttpAdapter()
      .getInstance()
      .addHook('onSend', (request, reply, payload, done) => {
        const route = request.routeOptions.url;
        if (route) {
          const contentType = String(reply.getHeader('content-type') ?? '');
          this.check(request.method, route, reply.statusCode, contentType, payload);
        }
        done(null, payload);
      });
  }

  /** Throws a message naming each mismatch (method, route, status and ajv's errors). */
  assertNone(): void {
    if (this.violations.length === 0) return;
    const lines = this.violations.map((v) => `${v.method} ${v.route} → ${v.status}: ${v.problem}`);
    throw new Error(`${lines.length} response(s) broke the OpenAPI contract:\n${lines.join('\n')}`);
  }

  /** Checks one response (the hook's work; public so its reports can be tested). */
  check(method: string, route: string, status: number, contentType: string, payload: unknown): void {
    const path = route.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{path}');
    const operation = this.operation(path, method.toLowerCase());
    if (!operation) {
      if (path.startsWith('/api/'))
        this.report(method, route, status, 'the operation is not in the document');
      return;
    }
    const responses = operation.responses;
    const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => k in responses);
    if (!key || (key === 'default' && status < 400)) {
      this.report(method, route, status, `status ${status} is not documented`);
      return;
    }
    if (!JSON_TYPES.test(contentType) || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) return;
    const mediaType = contentType.split(';')[0].trim();
    const pointer = `#/paths/${escape(path)}/${method.toLowerCase()}/responses/${key}/content/${escape(mediaType)}/schema`;
    const response: unknown = Reflect.get(responses, key);
    const content = response && typeof response === 'object' ? Reflect.get(response, 'content') : undefined;
    if (!content || typeof content !== 'object' || !(mediaType in content)) {
      this.report(method, route, status, `no ${mediaType} body is documented for this status`);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(payload.toString());
    } catch {
      this.report(method, route, status, 'the body is not JSON');
      return;
    }
    const validate = this.validator(pointer);
    if (!validate(body)) this.report(method, route, status, describe(validate.errors ?? []));
  }

  /**
   * Checks a response seen by an outside client (the release stage), which knows the URL but not
   * the route: the URL's path is matched against the document's path templates.
   */
  checkUrl(method: string, url: string, status: number, contentType: string, body: string): void {
    const path = new URL(url).pathname;
    this.templates ??= Object.keys(this.documentOf().paths).map((template) => ({
      path: template,
      // `{path}` (the signed files route) spans segments; other parameters are one segment.
      pattern: new RegExp(
        `^${template
          .replace(/[.+?^$()|[\]\\]/g, '\\$&')
          .replace('{path}', '.+')
          .replace(/\{[^}]+\}/g, '[^/]+')}$`,
      ),
    }));
    const matches = this.templates.filter((t) => t.pattern.test(path));
    // A literal segment beats a parameter (`/images/stats` over `/images/{id}`).
    const template = matches.sort((a, b) => paramCount(a.path) - paramCount(b.path))[0];
    if (template) this.check(method, template.path.replace(/\{(\w+)\}/g, ':$1'), status, contentType, body);
    else if (path.startsWith('/api/'))
      this.report(method, path, status, 'no operation of the document matches');
  }

  private documentOf(): OpenAPIObject {
    this.document ??= buildOpenApiDocument(this.source as NestFastifyApplication);
    return this.document;
  }

  private operation(path: string, method: string) {
    const item: unknown = this.documentOf().paths[path];
    const operation: unknown = item && typeof item === 'object' ? Reflect.get(item, method) : undefined;
    return operation && typeof operation === 'object' && 'responses' in operation
      ? { responses: Object(operation.responses) }
      : undefined;
  }

  private validator(pointer: string): ValidateFunction {
    let validate = this.validators.get(pointer);
    if (!validate) {
      if (!this.ajv.getSchema('openapi')) this.ajv.addSchema(nullableAsAnyOf(this.document ?? {}), 'openapi');
      validate = this.ajv.compile({ $ref: `openapi${pointer}` });
      this.validators.set(pointer, validate);
    }
    return validate;
  }

  private report(method: string, route: string, status: number, problem: string): void {
    this.violations.push({ method, route, status, problem });
  }
}

const paramCount = (template: string) => template.split('{').length - 1;

function isApp(source: NestFastifyApplication | OpenAPIObject): source is NestFastifyApplication {
  return typeof (source as NestFastifyApplication).getHttpAdapter === 'function';
}

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

function describe(errors: ErrorObject[]): string {
  return errors
    .map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
    .join('; ');
}

/**
 * OpenAPI 3.0's `nullable: true` as JSON Schema: `{anyOf: [null, the rest]}`. (Ajv's own
 * `nullable` support fails `{nullable, allOf: [$ref]}`, which Nest emits for nullable objects.)
 */
function nullableAsAnyOf(node: object): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) copy[key] = convert(value);
  if (copy.nullable !== true) return copy;
  delete copy.nullable;
  return { anyOf: [{ type: 'null' }, copy] };
}

function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  return node && typeof node === 'object' ? nullableAsAnyOf(node) : node;
}
