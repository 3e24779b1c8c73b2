import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { applyContractDefaults } from './openapi/contract-defaults';
import { ProblemResponse } from './openapi/problem-response';
import { exposeValidatorBounds } from './openapi/validator-bounds';
import { documentLiveness, LiveResponse } from '../health/liveness';
import { LIVE_CHANNELS_DESCRIPTION } from './live-channels.doc';

/** The OpenAPI document (the API's contract, committed as openapi.json) of a configured app. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Atelier API')
    .setDescription(
      'Generate, edit, organise, moderate, share and schedule AI images. Errors are RFC 9457 problem details.' +
        LIVE_CHANNELS_DESCRIPTION,
    )
    .setVersion('1')
    .setLicense('UNLICENSED', 'https://atelier.dev/license')
    .addServer('/', 'This server')
    .addBearerAuth()
    .build();
  exposeValidatorBounds();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ProblemResponse, LiveResponse],
  });
  documentLiveness(document);
  return applyContractDefaults(document);
}

/** Swagger UI at /docs and the OpenAPI document at /docs-json, bearer auth declared. */
export function setupSwagger(app: NestFastifyApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    useGlobalPrefix: false,
  });
  return document;
}
