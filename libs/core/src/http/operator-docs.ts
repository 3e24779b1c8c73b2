import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { LIVE_CHANNELS_DESCRIPTION } from './live-channels.doc';

/** Swagger UI at /docs and the OpenAPI document at /docs-json, bearer auth declared. */
export function setupSwagger(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Atelier API')
    .setDescription(
      'Generate, edit, organise, moderate, share and schedule AI images. Errors are RFC 9457 problem details.' +
        LIVE_CHANNELS_DESCRIPTION,
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', useGlobalPrefix: false });
}
