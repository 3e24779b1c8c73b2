import { Injectable, Logger } from '@nestjs/common';
import { ExternalErrorCode, ExternalServiceError } from '@atelier/core';
import type { Image } from '@atelier/images';
import { ModerationService } from '@atelier/moderation';
import type { JobType } from '../processing.types';

/** Job types that send one of the user's images to a provider (SplashMy's USE_CONTENT_MODERATION). */
const SCREENED_TYPES: ReadonlySet<JobType> = new Set(['edit', 'style_transfer']);

export type ScreeningVerdict = { blocked: false } | { blocked: true; labels: string[] };

/**
 * Screens a source image just before an edit or style transfer hands it to a provider, so a
 * flagged picture never leaves Atelier. An image already flagged in the library is refused
 * without asking the driver again, and one an administrator cleared is not screened again. Driver
 * outages are thrown as retryable: the job goes back to Bull's backoff like any provider outage
 * (an unscreened image is never sent).
 */
@Injectable()
export class SourceScreening {
  private readonly logger = new Logger(SourceScreening.name);

  constructor(private readonly moderation: ModerationService) {}

  get enabled(): boolean {
    return this.moderation.driverName !== 'none';
  }

  async screen(type: JobType, image: Image, buffer: Buffer): Promise<ScreeningVerdict> {
    if (!SCREENED_TYPES.has(type)) return { blocked: false };
    if (image.moderationState === 'flagged') {
      return { blocked: true, labels: image.moderationLabels.map((label) => label.name) };
    }
    if (!this.enabled || (await this.moderation.clearedByAdmin(image))) return { blocked: false };
    let result;
    try {
      result = await this.moderation.screen(buffer);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.logger.warn({ imageId: image.id, err: message }, 'Source screening failed');
      // The driver's own classification stands (an unreadable image will not get better); anything
      // unclassified is taken as an outage.
      const classified = err instanceof ExternalServiceError ? err : undefined;
      throw new ExternalServiceError({
        kind: classified?.kind ?? 'retryable',
        code: classified?.code ?? ExternalErrorCode.ProviderUnavailable,
        service: 'moderation',
        message: `source image screening failed: ${message}`,
        retryAfterMs: classified?.retryAfterMs,
        providerRequestId: classified?.providerRequestId,
        cause: err,
      });
    }
    if (result.verdict !== 'flagged') return { blocked: false };
    return { blocked: true, labels: result.labels.map((label) => label.name) };
  }
}
