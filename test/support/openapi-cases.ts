import fc from 'fast-check';

/**
 * Builds fast-check arbitraries of invalid and extreme requests from an OpenAPI 3 document,
 * generically: whatever the schemas say (types, formats, enums, bounds), each value is either a
 * near-valid one or one of the inputs that once broke the server (NUL bytes, huge strings and
 * numbers, deep objects, bad uuids, cursors and dates).
 */

export interface SchemaObject {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  items?: SchemaObject;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  allOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  anyOf?: SchemaObject[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
}

interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: SchemaObject;
}

interface OperationObject {
  operationId?: string;
  parameters?: ParameterObject[];
  requestBody?: { content?: Record<string, { schema?: SchemaObject }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, SchemaObject> };
}

export interface Operation {
  method: string;
  path: string;
  id: string;
  pathParams: ParameterObject[];
  queryParams: ParameterObject[];
  body?: { mediaType: string; schema: SchemaObject };
}

export interface RequestCase {
  /** The path with its parameters filled in and URL-encoded. */
  url: string;
  body?: { mediaType: string; value: unknown };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function listOperations(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => {
      const op = item[method];
      const params = op.parameters ?? [];
      const [mediaType, media] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
      return {
        method,
        path,
        id: `${method.toUpperCase()} ${path}`,
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query'),
        body: mediaType ? { mediaType, schema: media?.schema ?? {} } : undefined,
      };
    }),
  );
}

/** The hostile values, whatever the schema: each one broke an earlier build with a 500. */
const hostileCursor = fc.oneof(
  fc.constantFrom('!!!', 'null', 'W10'),
  fc
    .record({
      v: fc.oneof(
        fc.string(),
        fc.double(),
        fc.date().map((d) => d.toISOString()),
      ),
      id: fc.string(),
    })
    .map((position) => Buffer.from(JSON.stringify(position)).toString('base64url')),
);
const hostileDate = fc.oneof(
  fc.constantFrom(
    '10000-01-01T00:00:00Z',
    '+010000-01-01T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    '0000-00-00',
  ),
  fc.constantFrom(1e20, -1e16, 8.64e15 + 1, -1),
);
const hostileString = fc.oneof(
  fc.string({ maxLength: 20 }).map((s) => `${s}\u0000${s}`),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '%00',
    '\uD800',
    '\uFFFF',
    "'; DROP TABLE users; --",
    '../../etc/passwd',
  ),
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom('not-a-uuid', '00000000-0000-0000-0000-00000000000g', '{{uuid}}'),
  fc.constantFrom(
    '10000-01-01T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    '+275760-09-13T00:00:01Z',
    '0000-00-00',
    'now',
  ),
  fc.constantFrom(
    'eyJ2IjoxLCJpZCI6Mn0',
    Buffer.from('{"v":"not-a-date","id":"00000000-0000-0000-0000-000000000000"}').toString('base64url'),
    Buffer.from('{"v":5,"id":"00000000-0000-0000-0000-000000000000"}').toString('base64url'),
    Buffer.from('{"v":"10000-01-01","id":"x"}').toString('base64url'),
    Buffer.from('{"v":{"a":1},"id":"00000000-0000-0000-0000-000000000000"}').toString('base64url'),
    Buffer.from('{"v":"\u0000","id":"\u0000"}').toString('base64url'),
    Buffer.from('{"v":1e308,"id":"00000000-0000-0000-0000-000000000000"}').toString('base64url'),
    '!!!',
  ),
  fc.string({ maxLength: 40 }),
);
const hostileNumber = fc.oneof(
  fc.constantFrom(-1, 0, 1e308, -1e308, 2 ** 53, 8.64e15 + 1, 1e20, 0.5, -0.0),
  fc.integer(),
  fc.double({ noNaN: true }),
);

/**
 * JSON text sent as is: nesting deep enough to overflow a recursive walker cannot be built as an
 * object (JSON.stringify and fast-check's reporter would overflow first).
 */
export class RawJson {
  constructor(readonly text: string) {}
  [fc.toStringMethod](): string {
    return `RawJson(${this.text.length} chars: ${this.text.slice(0, 20)}…)`;
  }
}
const nested = (depth: number, open: string, close: string) =>
  new RawJson(`${open.repeat(depth)}1${close.repeat(depth)}`);
const hostileStructure = fc.oneof(
  fc.constantFrom(
    null,
    true,
    [],
    {},
    [null],
    nested(64, '{"a":', '}'),
    nested(20_000, '{"a":', '}'),
    nested(100_000, '[', ']'),
  ),
  fc.array(fc.string({ maxLength: 5 }), { minLength: 1000, maxLength: 2000 }),
);

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: hostileStructure },
);

export class CaseBuilder {
  constructor(private readonly doc: OpenApiDocument) {}

  /** A mix of near-valid and hostile values for one schema. */
  value(schema: SchemaObject | undefined, depth = 0): fc.Arbitrary<unknown> {
    return fc.oneof(
      { weight: 3, arbitrary: this.plausible(this.resolve(schema), depth) },
      { weight: 2, arbitrary: hostileValue },
    );
  }

  /**
   * One hostile value per request, in one slot (a path or query parameter, a body field or the
   * whole body), the rest plausible or absent: a second bad value would stop the request at
   * validation before the first reached the code under test.
   */
  request(op: Operation): fc.Arbitrary<RequestCase> {
    const fields = op.body ? Object.keys(this.mergedProperties(this.resolve(op.body.schema))) : [];
    const slots = op.pathParams.length + op.queryParams.length + fields.length + (op.body ? 1 : 0);
    return fc.nat({ max: Math.max(slots - 1, 0) }).chain((target) => this.requestWith(op, fields, target));
  }

  private requestWith(op: Operation, fields: string[], target: number): fc.Arbitrary<RequestCase> {
    let slot = 0;
    const hostileHere = () => slot++ === target;
    const pathValues = fc.tuple(
      ...op.pathParams.map((p) =>
        hostileHere() ? this.hostilePathValue() : this.plausiblePathValue(p.schema),
      ),
    );
    const query = fc.tuple(
      ...op.queryParams.map((p) =>
        hostileHere()
          ? this.hostileFor(p.name, p.schema)
          : fc.option(this.plausible(this.resolve(p.schema), 0), { nil: undefined, freq: 2 }),
      ),
    );
    let body: fc.Arbitrary<unknown> = fc.constant(undefined);
    if (op.body) {
      const schema = this.resolve(op.body.schema);
      const hostileField = fields.find(() => hostileHere());
      body = hostileHere()
        ? hostileValue
        : this.object(schema, 0).chain((plausible) =>
            hostileField === undefined
              ? fc.constant(plausible)
              : this.hostileFor(hostileField, this.mergedProperties(schema)[hostileField]).map((value) => ({
                  ...(plausible as object),
                  [hostileField]: value,
                })),
          );
    }
    return fc.tuple(pathValues, query, body).map(([values, queryValues, bodyValue]) => {
      let url = op.path;
      op.pathParams.forEach((p, i) => {
        url = url.replace(`{${p.name}}`, encodeURIComponent(String(values[i])));
      });
      const search = new URLSearchParams();
      op.queryParams.forEach((p, i) => {
        const v = queryValues[i];
        if (v !== undefined) search.append(p.name, typeof v === 'string' ? v : JSON.stringify(v));
      });
      const qs = search.toString();
      return {
        url: qs ? `${url}?${qs}` : url,
        body:
          op.body && bodyValue !== undefined ? { mediaType: op.body.mediaType, value: bodyValue } : undefined,
      };
    });
  }

  private hostileFor(name: string, schema: SchemaObject | undefined): fc.Arbitrary<unknown> {
    if (name === 'cursor') return hostileCursor;
    const format = this.resolve(schema).format;
    if (format === 'date-time' || format === 'date') return fc.oneof(hostileDate, hostileValue);
    return hostileValue;
  }

  private plausiblePathValue(schema: SchemaObject | undefined): fc.Arbitrary<string> {
    return this.resolve(schema).format === 'uuid'
      ? fc.uuid().map(String)
      : fc.oneof(fc.uuid().map(String), fc.stringMatching(/^[a-z0-9-]{1,20}$/));
  }

  private hostilePathValue(): fc.Arbitrary<string> {
    return fc.constantFrom('not-a-uuid', '\u0000', 'a\u0000b', '-1', '1e309', 'x'.repeat(5000), '%');
  }

  private plausible(schema: SchemaObject, depth: number): fc.Arbitrary<unknown> {
    const variants = schema.oneOf ?? schema.anyOf;
    if (variants?.length) return fc.oneof(...variants.map((s) => this.value(s, depth)));
    if (schema.enum?.length) return fc.oneof(fc.constantFrom(...schema.enum), hostileString);
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    if (type === 'object' || schema.properties) return this.object(schema, depth);
    if (type === 'array') {
      return depth > 4 ? fc.constant([]) : fc.array(this.value(schema.items, depth + 1), { maxLength: 4 });
    }
    if (type === 'integer' || type === 'number') {
      const near = [schema.minimum, schema.maximum].filter((n): n is number => typeof n === 'number');
      return fc.oneof(
        hostileNumber,
        fc.constantFrom(...near, ...near.map((n) => n - 1), ...near.map((n) => n + 1), 1),
      );
    }
    if (type === 'boolean') return fc.oneof(fc.boolean(), fc.constantFrom('true', 'yes', 2));
    if (type === 'string') return this.string(schema);
    return hostileValue;
  }

  private string(schema: SchemaObject): fc.Arbitrary<unknown> {
    switch (schema.format) {
      case 'uuid':
        return fc.uuid();
      case 'date-time':
      case 'date':
        return fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.integer({ min: -1, max: 10_000 }).map((y) => `${String(y).padStart(4, '0')}-01-01T00:00:00Z`),
        );
      case 'email':
        return fc.oneof(fc.emailAddress(), fc.constant('a\u0000@example.test'));
      case 'uri':
      case 'url':
        return fc.oneof(
          fc.webUrl(),
          fc.constantFrom('http://127.0.0.1:1/', 'file:///etc/passwd', 'javascript:x'),
        );
      default: {
        const max = schema.maxLength ?? 40;
        return fc.oneof(fc.string({ maxLength: Math.min(max, 40) }), fc.constant('y'.repeat(max + 1)));
      }
    }
  }

  private object(schema: SchemaObject, depth: number): fc.Arbitrary<unknown> {
    const properties = this.mergedProperties(schema);
    if (depth > 4 || !Object.keys(properties).length) return fc.constant({});
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [name, prop] of Object.entries(properties)) model[name] = this.value(prop, depth + 1);
    return fc.record(model, { requiredKeys: [] });
  }

  private mergedProperties(schema: SchemaObject): Record<string, SchemaObject> {
    const parts = [schema, ...(schema.allOf ?? []).map((s) => this.resolve(s))];
    return Object.assign({}, ...parts.map((s) => s.properties ?? {})) as Record<string, SchemaObject>;
  }

  private resolve(schema: SchemaObject | undefined): SchemaObject {
    let current = schema ?? {};
    for (let hops = 0; current.$ref && hops < 10; hops++) {
      const name = current.$ref.replace('#/components/schemas/', '');
      current = this.doc.components?.schemas?.[name] ?? {};
    }
    return current;
  }
}
