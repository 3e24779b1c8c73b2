import { Controller, Headers, HttpCode, HttpStatus, Post, Req, type RawBodyRequest } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiProperty, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { FiefWebhookService, WebhookOutcome } from './fief-webhook.service';

export class FiefWebhookResponse {
  @ApiProperty({ enum: ['processed', 'duplicate', 'ignored'] }) status: WebhookOutcome;
}

/** Fief (identity provider) user events; authenticated by signature, not by token. */
@ApiTags('webhooks')
@Controller('webhooks/fief')
export class FiefWebhookController {
  constructor(private readonly webhooks: FiefWebhookService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiHeader({ name: 'x-fief-webhook-signature', description: 'hex HMAC-SHA256 of "{timestamp}.{body}"' })
  @ApiHeader({ name: 'x-fief-webhook-timestamp', description: 'Unix seconds; at most 5 minutes off' })
  @ApiOkResponse({ type: FiefWebhookResponse })
  @ApiUnauthorizedResponse({ description: 'invalid_signature or stale_signature' })
  async receive(
    @Req() request: RawBodyRequest<FastifyRequest>,
    @Headers('x-fief-webhook-signature') signature?: string,
    @Headers('x-fief-webhook-timestamp') timestamp?: string,
  ): Promise<FiefWebhookResponse> {
    return { status: await this.webhooks.receive(request.rawBody, signature, timestamp) };
  }
}
