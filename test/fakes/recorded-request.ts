import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/** One file part of a multipart body, with its bytes kept so tests can inspect what was uploaded. */
export interface RecordedFile {
  field: string;
  filename: string;
  type: string;
  size: number;
  bytes: Buffer;
}

export interface RecordedMultipart {
  /** Text fields; a field sent several times (e.g. `media_ids[]`) becomes an array. */
  fields: Record<string, string | string[]>;
  files: RecordedFile[];
}

/** Everything a fake saw of one HTTP request, body included, parsed by its content type. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Raw request target (path + query). */
  url: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Parsed JSON body (`application/json` or `application/x-amz-json-*`), else undefined. */
  json?: unknown;
  /** Parsed `application/x-www-form-urlencoded` body, else undefined. */
  form?: URLSearchParams;
  multipart?: RecordedMultipart;
  receivedAt: Date;
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Parses multipart/form-data with the platform's own parser (undici's `Response.formData()`), so
 * the fakes need no multipart dependency and read bodies exactly as a spec-following server would.
 */
export async function parseMultipart(body: Buffer, contentType: string): Promise<RecordedMultipart> {
  const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  const fields: Record<string, string | string[]> = {};
  const files: RecordedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      const previous = fields[field];
      fields[field] = previous === undefined ? value : [...[previous].flat(), value];
    } else {
      const bytes = Buffer.from(await value.arrayBuffer());
      files.push({ field, filename: value.name, type: value.type, size: bytes.length, bytes });
    }
  }
  return { fields, files };
}

/** Reads the whole body and parses it by content type. Malformed bodies stay raw (the fake decides). */
export async function recordRequest(req: IncomingMessage): Promise<RecordedRequest> {
  const body = await readBody(req);
  const target = new URL(req.url ?? '/', 'http://fake.invalid');
  const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
  const recorded: RecordedRequest = {
    method: req.method ?? 'GET',
    path: target.pathname,
    url: req.url ?? '/',
    query: target.searchParams,
    headers: req.headers,
    body,
    receivedAt: new Date(),
  };
  try {
    if (/application\/(.+\+)?json|application\/x-amz-json/.test(contentType) && body.length > 0) {
      recorded.json = JSON.parse(body.toString('utf8'));
    } else if (contentType.startsWith('application/x-www-form-urlencoded')) {
      recorded.form = new URLSearchParams(body.toString('utf8'));
    } else if (contentType.startsWith('multipart/form-data')) {
      recorded.multipart = await parseMultipart(body, String(req.headers['content-type']));
    }
  } catch {
    // Left unparsed on purpose: each fake answers a malformed body the way its service does.
  }
  return recorded;
}

/**
 * One view of "the parameters" whichever way they came: query string, JSON, urlencoded or
 * multipart text fields (Graph API and X accept several of these for the same call).
 */
export function requestParams(req: RecordedRequest): Record<string, unknown> {
  const params: Record<string, unknown> = Object.fromEntries(req.query.entries());
  if (req.form) Object.assign(params, Object.fromEntries(req.form.entries()));
  if (req.multipart) Object.assign(params, req.multipart.fields);
  if (req.json && typeof req.json === 'object' && !Array.isArray(req.json)) Object.assign(params, req.json);
  return params;
}

/** The bearer token of an `Authorization: Bearer …` header, if any. */
export function bearerToken(req: RecordedRequest): string | undefined {
  const header = req.headers.authorization;
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return match?.[1];
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': payload.length, ...headers });
  res.end(payload);
}

export function sendBytes(
  res: ServerResponse,
  status: number,
  bytes: Buffer,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': bytes.length, ...headers });
  res.end(bytes);
}
