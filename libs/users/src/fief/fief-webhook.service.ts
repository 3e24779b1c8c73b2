import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Env, EventBus, hashToken, ProblemException } from '@atelier/core';
import { UsersErrorCode } from '../users.errors';
import { checkFiefSignature, FIEF_TOLERANCE_SECONDS } from './fief-signature';
import { FiefUser, FiefUserSync } from './fief-user-sync';

export interface FiefEvent {
  type: string;
  data: FiefUser;
}

export type WebhookOutcome = 'processed' | 'duplicate' | 'ignored';

/** Verifies, de-duplicates and applies Fief's user events. */
@Injectable()
export class FiefWebhookService {
  private readonly logger = new Logger(FiefWebhookService.name);
  private readonly secret?: string;
  private readonly seenPrefix: string;

  constructor(
    private readonly sync: FiefUserSync,
    private readonly bus: EventBus,
    config: ConfigService<Env, true>,
  ) {
    this.secret = config.get('FIEF_WEBHOOK_SECRET', { infer: true });
    this.seenPrefix = `${config.get('QUEUE_PREFIX', { infer: true })}:fief-webhook:`;
  }

  async receive(
    rawBody: Buffer | undefined,
    signature?: string,
    timestamp?: string,
  ): Promise<WebhookOutcome> {
    if (!this.secret) {
      throw new ProblemException(
        HttpStatus.SERVICE_UNAVAILABLE,
        UsersErrorCode.WebhookDisabled,
        'FIEF_WEBHOOK_SECRET is not configured.',
      );
    }
    const check = checkFiefSignature(
      this.secret,
      rawBody ?? Buffer.alloc(0),
      signature,
      timestamp,
      new Date(),
    );
    if (check === 'invalid')
      throw ProblemException.unauthorized(UsersErrorCode.InvalidSignature, 'Bad webhook signature.');
    if (check === 'stale') {
      throw ProblemException.unauthorized(
        UsersErrorCode.StaleSignature,
        'The webhook timestamp is too old or in the future.',
      );
    }
    const event = parseEvent(rawBody!);
    // A redelivery carries the same signature; remember signatures for longer than they stay valid.
    const seenKey = this.seenPrefix + hashToken(signature!).slice(0, 32);
    const first = await this.bus.client.set(seenKey, '1', 'EX', FIEF_TOLERANCE_SECONDS * 2 + 60, 'NX');
    if (first !== 'OK') return 'duplicate';
    try {
      return await this.apply(event);
    } catch (error) {
      await this.bus.client.del(seenKey);
      throw error;
    }
  }

  private async apply(event: FiefEvent): Promise<WebhookOutcome> {
    switch (event.type) {
      case 'user.created':
      case 'user.updated':
        await this.sync.upsert(event.data);
        return 'processed';
      case 'user.deleted':
        await this.sync.remove(event.data.id);
        return 'processed';
      default:
        this.logger.debug({ type: event.type }, 'Ignored a Fief event');
        return 'ignored';
    }
  }
}

function parseEvent(rawBody: Buffer): FiefEvent {
  let event: Partial<FiefEvent>;
  try {
    event = JSON.parse(rawBody.toString('utf8')) as Partial<FiefEvent>;
  } catch {
    throw ProblemException.badRequest(UsersErrorCode.MalformedJson, 'The webhook body is not JSON.');
  }
  const data = event?.data;
  const needsEmail = event?.type === 'user.created' || event?.type === 'user.updated';
  const valid =
    typeof event?.type === 'string' &&
    (!event.type.startsWith('user.') || typeof data?.id === 'string') &&
    (!needsEmail || typeof data?.email === 'string');
  if (!valid)
    throw ProblemException.badRequest(
      UsersErrorCode.InvalidWebhookEvent,
      'Expected {type, data: {id, email}}.',
    );
  return event as FiefEvent;
}
