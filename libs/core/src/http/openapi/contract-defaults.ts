import type {
  OpenAPIObject,
  OperationObject,
  ReferenceObject,
  ResponsesObject,
  SchemaObject,
} from '@nestjs/swagger';
import { problemResponseObject } from './problem-response';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * What every operation shares, filled in once rather than repeated on ~120 handlers: the
 * problem answers its shape implies (400 for input, 401 for a token, 404 for a path id, 413/415
 * for a body, any other error as a problem), `security: []` on public routes (the authenticated
 * ones declare bearer auth through @Authenticated/@AdminOnly), and a summary when none is written.
 */
export function applyContractDefaults(document: OpenAPIObject): OpenAPIObject {
  for (const schema of Object.values(document.components?.schemas ?? {})) {
    if ('properties' in schema) Object.values(schema.properties ?? {}).forEach(openFreeFormObject);
  }
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) completeOperation(path, operation);
    }
  }
  return document;
}

function completeOperation(path: string, operation: OperationObject): void {
  // Fastify's wildcard route param `*` shows in the path as `{path}`; the handler documents `path`.
  // An `authorization` header parameter (from @Headers) is what bearer auth already says; OpenAPI
  // ignores it, but generated clients would demand it on every call.
  operation.parameters = operation.parameters?.filter(
    (parameter) => !('name' in parameter) || !['*', 'authorization'].includes(parameter.name),
  );
  operation.summary ??= summaryFromOperationId(operation.operationId ?? '');
  operation.security ??= [];
  const responses: ResponsesObject = operation.responses;
  const implied = [
    (operation.parameters?.length ?? 0) > 0 || operation.requestBody ? 400 : 0,
    operation.security.length > 0 ? 401 : 0,
    path.includes('{') ? 404 : 0,
    operation.requestBody ? 413 : 0,
    operation.requestBody ? 415 : 0,
  ].filter((status) => status > 0);
  for (const status of implied) responses[status] ??= problemResponseObject(status);
  for (const [status, response] of Object.entries(responses)) {
    // A 4xx declared without a body (e.g. a bare @ApiForbiddenResponse) is still a problem document.
    if (/^4\d\d$/.test(status) && response && 'description' in response && !response.content) {
      responses[status] = { ...problemResponseObject(Number(status)), description: response.description };
    }
  }
  responses.default ??= problemResponseObject('default');
}

/**
 * A property documented only as `type: object` is a free-form map (job params, usage, counts):
 * say so, or generated clients type it as an object with no members.
 */
function openFreeFormObject(schema: SchemaObject | ReferenceObject): void {
  if ('type' in schema && schema.type === 'object' && !schema.properties && !schema.allOf) {
    schema.additionalProperties ??= true;
  }
}

/** `FoldersController_rename` → "Rename (folders)". */
function summaryFromOperationId(operationId: string): string {
  const [controller = '', handler = ''] = operationId.split('_');
  const words = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const action = words(handler);
  return `${action.charAt(0).toUpperCase()}${action.slice(1)} (${words(controller.replace(/Controller$/, ''))})`;
}
