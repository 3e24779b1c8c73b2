import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContractValidator } from './support/contract-validator';
import { startTestApp, type TestApp } from './support/test-app';
import { createUser } from './support/users';

/** The OpenAPI document is the contract: committed, complete, and what the app really answers. */
describe('OpenAPI contract', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('serves exactly the committed openapi.json (run `npm run openapi` after changing the API)', async () => {
    const served = await t.http.get('/docs-json').expect(200);
    const committed: unknown = JSON.parse(readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8'));
    expect(served.body).toEqual(committed);
  });

  it('types every 2xx body, documents problems on 4xx and shows the validators’ bounds', async () => {
    const { body: document } = await t.http.get('/docs-json').expect(200);
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { responses: Record<string, { content?: object }> }>).map(
        ([method, operation]) => ({
          name: `${method.toUpperCase()} ${path}`,
          responses: operation.responses,
        }),
      ),
    );
    const untyped = operations.filter(({ responses }) =>
      Object.entries(responses).every(([status, response]) => !/^2/.test(status) || !response.content),
    );
    expect(untyped.filter(({ responses }) => !('204' in responses)).map((o) => o.name)).toEqual([]);
    const bareProblems = operations.flatMap(({ name, responses }) =>
      Object.entries(responses)
        .filter(([status, response]) => /^4/.test(status) && !response.content)
        .map(([status]) => `${name} ${status}`),
    );
    expect(bareProblems).toEqual([]);

    const schemas = document.components.schemas;
    expect(schemas.ProblemResponse.required).toEqual(['type', 'title', 'status', 'detail', 'code']);
    expect(schemas.FolderNameDto.properties.name).toMatchObject({ type: 'string', maxLength: 100 });
    expect(schemas.PublicUserDto.properties.planId).toMatchObject({ type: 'string', nullable: true });
    const limit = document.paths['/api/v1/images'].get.parameters.find(
      (p: { name: string }) => p.name === 'limit',
    );
    expect(limit.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
  });

  it('answers creations with Location and lists plans in the shared list shape', async () => {
    const user = await createUser(t);
    const created = await t.http.post('/api/v1/folders').set(user.auth).send({ name: 'Trips' }).expect(201);
    expect(created.headers.location).toBe(`/api/v1/folders/${created.body.id}`);
    await t.http.get(created.headers.location).set(user.auth).expect(200);

    const plans = await t.http.get('/api/v1/plans').expect(200);
    expect(plans.body).toEqual({ items: expect.any(Array), nextCursor: null });
  });

  it('reports a response that breaks the document, naming method, route, status and the error', () => {
    const validator = new ContractValidator(t.app);
    validator.check('GET', '/api/v1/folders/:id', 200, 'application/json', '{"id":"x","name":7}');
    validator.check('GET', '/api/v1/folders', 201, 'application/json', '{}');
    validator.check('DELETE', '/api/v1/folders/:id', 404, 'application/problem+json', '{"status":404}');
    validator.check('GET', '/api/v1/folders/:id', 200, 'application/json', 'not json');
    expect(validator.violations.map((v) => `${v.method} ${v.route} ${v.status}`)).toEqual([
      'GET /api/v1/folders/:id 200',
      'GET /api/v1/folders 201',
      'DELETE /api/v1/folders/:id 404',
      'GET /api/v1/folders/:id 200',
    ]);
    expect(validator.violations[0].problem).toMatch(/\/name must be string/);
    expect(validator.violations[1].problem).toBe('status 201 is not documented');
    expect(validator.violations[2].problem).toMatch(/must have required property 'type'/);
    expect(() => validator.assertNone()).toThrow(/4 response\(s\) broke the OpenAPI contract/);
  });
});
