import fc from 'fast-check';
import {
  CaseBuilder,
  listOperations,
  OpenApiDocument,
  Operation,
  RawJson,
  RequestCase,
} from './support/openapi-cases';
import { startTestApp, TestApp } from './support/test-app';
import { createUser } from './support/users';

jest.setTimeout(300_000);

/** Fixed so a failure replays exactly; runs bounded so the file finishes in a minute or two. */
const SEED = 20261202;
const SLOW_MS = 2000;

interface Finding {
  operation: string;
  identity: string;
  status: number;
  ms: number;
  request: RequestCase;
  body: string;
}

describe('every OpenAPI operation answers invalid and extreme input without a 5xx, within 2 s', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  /** Anonymous cases mostly stop at the guard, admin repeats the user outside admin routes. */
  const identities: { name: string; runs: number; headers: Record<string, string> }[] = [];
  let clientNumber = 0;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_AUTH_PER_MINUTE: '100000', FIEF_WEBHOOK_SECRET: 'generated-input' });
    doc = (await t.http.get('/docs-json').expect(200)).body as OpenApiDocument;
    const user = await createUser(t);
    const admin = await createUser(t, { role: 'admin' });
    identities.push(
      { name: 'anonymous', runs: 6, headers: {} },
      { name: 'user', runs: 12, headers: user.auth },
      { name: 'admin', runs: 6, headers: admin.auth },
    );
  });
  afterAll(() => t.close());

  async function send(op: Operation, identity: Record<string, string>, c: RequestCase) {
    // A fresh client address per request keeps per-IP limits out of the way of deeper code.
    clientNumber += 1;
    const headers: Record<string, string> = {
      ...identity,
      'x-forwarded-for': `10.${(clientNumber >> 16) & 255}.${(clientNumber >> 8) & 255}.${clientNumber & 255}`,
    };
    let body: string | FormData | undefined;
    if (c.body?.mediaType.includes('json')) {
      headers['content-type'] = 'application/json';
      body = c.body.value instanceof RawJson ? c.body.value.text : JSON.stringify(c.body.value);
    } else if (c.body) {
      const form = new FormData();
      const fields =
        c.body.value && typeof c.body.value === 'object' ? c.body.value : { value: c.body.value };
      for (const [name, value] of Object.entries(fields)) {
        form.append(name, typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
      }
      body = form;
    }
    const started = performance.now();
    const res = await fetch(`${t.url}${c.url}`, {
      method: op.method.toUpperCase(),
      headers,
      body,
      signal: AbortSignal.timeout(30_000),
    });
    // Event streams stay open: the status and headers are the answer.
    const text = res.headers.get('content-type')?.includes('text/event-stream')
      ? (await res.body?.cancel(), '')
      : await res.text();
    return { status: res.status, ms: performance.now() - started, text };
  }

  it('drives each operation as anonymous, user and admin', async () => {
    const builder = new CaseBuilder(doc);
    const operations = listOperations(doc);
    const findings: Finding[] = [];
    let cases = 0;
    const statuses = new Map<number, number>();
    for (const op of operations) {
      for (const identity of identities) {
        await fc.assert(
          fc.asyncProperty(builder.request(op), async (c) => {
            cases += 1;
            const attempt = () =>
              send(op, identity.headers, c).catch((error: Error) => ({
                status: 599,
                ms: 0,
                text: `no answer: ${error.message}`,
              }));
            let res = await attempt();
            // A loaded CI machine can stall one answer: a slow answer counts only if it is slow twice.
            if (res.ms > SLOW_MS && res.status < 500) res = await attempt();
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            if (res.status >= 500 || res.ms > SLOW_MS) {
              findings.push({
                operation: op.id,
                identity: identity.name,
                status: res.status,
                ms: Math.round(res.ms),
                request: { url: c.url.slice(0, 300), body: c.body },
                body: res.text.slice(0, 300),
              });
            }
          }),
          { seed: SEED, numRuns: identity.runs },
        );
      }
    }
    console.log(
      `generated input: ${operations.length} operations, ${identities.length} identities, ${cases} cases, ` +
        `${findings.length} 5xx or slow answers (seed ${SEED}); statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    const summary = findings.map(
      (f) =>
        `${f.status} ${f.ms}ms ${f.identity} ${f.operation} ${f.request.url} ` +
        `${JSON.stringify(f.request.body)?.slice(0, 200)} -> ${f.body}`,
    );
    expect(summary).toEqual([]);
  });
});
