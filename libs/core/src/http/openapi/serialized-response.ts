import { applyDecorators, type Type } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiOkResponse,
  getSchemaPath,
  type OpenAPIObject,
  type ReferenceObject,
  type SchemaObject,
} from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';

const SERIALIZED_BY = 'atelierSerializedBy';

/**
 * `@ApiOkResponse({ type })`, and Fastify writes the 200 body with fast-json-stringify compiled
 * from that type's schema in the OpenAPI document (see serializeResponsesFrom) instead of
 * JSON.stringify: for a list page, most of its serialisation cost. A property the DTO does not
 * declare would be left out of the body, so each DTO used here has a spec proving its items come
 * out unchanged.
 */
export function SerializedOkResponse(type: Type) {
  return applyDecorators(ApiOkResponse({ type }), RouteConfig({ [SERIALIZED_BY]: getSchemaPath(type) }));
}

/**
 * Gives each @SerializedOkResponse route its 200 response schema, taken from `document` (the one
 * served at /docs-json), so the contract and the serializer cannot disagree. Call it before the
 * routes are registered (app.init).
 */
export function serializeResponsesFrom(fastify: FastifyInstance, document: OpenAPIObject): void {
  fastify.addHook('onRoute', (route) => {
    const ref = (route.config as Record<string, unknown> | undefined)?.[SERIALIZED_BY];
    if (typeof ref !== 'string') return;
    route.schema = { ...route.schema, response: { 200: inlineRefs({ $ref: ref }, document) } };
  });
}

function inlineRefs(schema: SchemaObject | ReferenceObject, document: OpenAPIObject): SchemaObject {
  if ('$ref' in schema) {
    const target = document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')];
    if (!target) throw new Error(`serializeResponsesFrom: ${schema.$ref} is not in the OpenAPI document`);
    return inlineRefs(target, document);
  }
  const inlined: SchemaObject = { ...schema };
  if (schema.items) inlined.items = inlineRefs(schema.items, document);
  if (schema.properties) {
    inlined.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, value]) => [key, inlineRefs(value, document)]),
    );
  }
  return inlined;
}
