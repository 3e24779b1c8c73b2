import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DetectModerationLabelsCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import sharp from 'sharp';
import { classifyNetworkFailure, Env, ExternalErrorCode, ExternalServiceError } from '@atelier/core';
import type { ModerationLabel } from '@atelier/images';
import type { ModerationDriver, ModerationResult } from '../moderation-driver';

const SERVICE = 'rekognition';
// Rekognition refuses inline bytes over 5 MB; each side is tried in turn until the JPEG fits.
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const SIDES = [1920, 1280, 960];
const REQUEST_TIMEOUT_MS = 30_000;
const RETRYABLE_ERRORS = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'InternalServerError',
  'ServiceUnavailableException',
]);
const AUTH_ERRORS = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
]);

/**
 * AWS Rekognition DetectModerationLabels. The image is re-encoded as a downscaled JPEG (the API
 * takes JPEG or PNG up to 5 MB inline; moderation needs no more than 1920 px). Any label at or
 * above MODERATION_MIN_CONFIDENCE flags the image. Failures are ExternalServiceErrors: `retryable`
 * (throttling, 5xx, network) asks the queue to try again later; `rejected` (the service cannot read
 * this image) and `auth` will not get better by retrying.
 */
@Injectable()
export class RekognitionModerationDriver implements ModerationDriver, OnModuleDestroy {
  readonly name = 'rekognition';
  private readonly client: RekognitionClient;
  private readonly minConfidence: number;

  constructor(config: ConfigService<Env, true>) {
    this.minConfidence = config.get('MODERATION_MIN_CONFIDENCE', { infer: true });
    const accessKeyId = config.get('AWS_ACCESS_KEY_ID', { infer: true });
    const secretAccessKey = config.get('AWS_SECRET_ACCESS_KEY', { infer: true });
    this.client = new RekognitionClient({
      region: config.get('AWS_REGION', { infer: true }),
      endpoint: config.get('REKOGNITION_ENDPOINT', { infer: true }),
      // Without keys in the config the SDK's default chain applies (instance role, profile…).
      credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
      // The moderation queue retries with backoff; SDK retries on top would multiply the attempts.
      maxAttempts: 1,
      requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, connectionTimeout: 5_000 },
    });
  }

  onModuleDestroy(): void {
    this.client.destroy();
  }

  async moderate(image: Buffer): Promise<ModerationResult> {
    const bytes = await toModerationJpeg(image);
    let response;
    try {
      response = await this.client.send(
        new DetectModerationLabelsCommand({ Image: { Bytes: bytes }, MinConfidence: this.minConfidence }),
      );
    } catch (err) {
      throw classifyRekognitionError(err);
    }
    const labels: ModerationLabel[] = (response.ModerationLabels ?? []).map((label) => ({
      name: label.Name ?? 'Unknown',
      ...(label.ParentName ? { parentName: label.ParentName } : {}),
      confidence: Math.round((label.Confidence ?? 0) * 100) / 100,
    }));
    const flagged = labels.some((label) => label.confidence >= this.minConfidence);
    return { verdict: flagged ? 'flagged' : 'safe', labels };
  }
}

async function toModerationJpeg(image: Buffer): Promise<Buffer> {
  let jpeg: Buffer | undefined;
  try {
    for (const side of SIDES) {
      jpeg = await sharp(image)
        .rotate()
        .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 85 })
        .toBuffer();
      if (jpeg.length <= MAX_IMAGE_BYTES) return jpeg;
    }
  } catch (err) {
    throw new ExternalServiceError({
      kind: 'rejected',
      code: ExternalErrorCode.ProviderRejected,
      service: SERVICE,
      message: `${SERVICE}: the image could not be decoded for moderation`,
      cause: err,
    });
  }
  throw new ExternalServiceError({
    kind: 'rejected',
    code: ExternalErrorCode.ProviderRejected,
    service: SERVICE,
    message: `${SERVICE}: the image is still over 5 MB as a ${SIDES.at(-1)} px JPEG`,
  });
}

interface AwsServiceError {
  name?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/** AWS SDK errors → the shared classes (see providers.md "Error classification"). */
export function classifyRekognitionError(err: unknown): ExternalServiceError {
  const aws = err as AwsServiceError;
  const status = aws?.$metadata?.httpStatusCode;
  // No HTTP status: the request never got an answer (DNS, refused, timeout). Moderation is
  // read-only, so trying again is always safe.
  if (status === undefined) return classifyNetworkFailure(err, { requestSent: false, service: SERVICE });
  const name = aws.name ?? 'UnknownError';
  const common = {
    service: SERVICE,
    status,
    message: `${SERVICE}: ${name}: ${aws.message ?? `HTTP ${status}`}`,
    providerRequestId: aws.$metadata?.requestId,
    details: { providerCode: name },
    cause: err,
  };
  if (RETRYABLE_ERRORS.has(name) || status >= 500 || status === 429 || aws.$fault === 'server') {
    return new ExternalServiceError({
      ...common,
      kind: 'retryable',
      code: ExternalErrorCode.ProviderUnavailable,
    });
  }
  if (AUTH_ERRORS.has(name) || status === 401 || status === 403) {
    return new ExternalServiceError({ ...common, kind: 'auth', code: ExternalErrorCode.ProviderAuth });
  }
  // InvalidImageFormatException, ImageTooLargeException, InvalidParameterException…
  return new ExternalServiceError({ ...common, kind: 'rejected', code: ExternalErrorCode.ProviderRejected });
}
