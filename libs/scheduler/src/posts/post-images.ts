import { HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type Env, ProblemException } from '@atelier/core';
import { type Image, ImagesService, mayBeShownOrPosted } from '@atelier/images';
import { StorageService } from '@atelier/storage';
import type { PublishImage } from '../publishers/publisher';
import { SchedulerErrorCode } from '../scheduler.errors';

/** How long a platform has to fetch an image by URL (Instagram downloads it while the container builds). */
const IMAGE_URL_TTL_SECONDS = 3600;

/** The images a post may carry, and the image as publishers see it. */
@Injectable()
export class PostImages {
  private readonly requireValidated: boolean;

  constructor(
    private readonly images: ImagesService,
    private readonly storage: StorageService,
    config: ConfigService<Env, true>,
  ) {
    this.requireValidated = config.get('SCHEDULER_REQUIRE_VALIDATED', { infer: true });
  }

  /** The caller's image if it may be posted; 404 when it is not theirs, 409 when it may not be posted. */
  async postableImage(ownerId: string, imageId: string): Promise<Image> {
    const image = await this.images.findOwned(ownerId, imageId);
    const refusal = this.refusal(image);
    if (refusal) throw new ProblemException(HttpStatus.CONFLICT, refusal.code, refusal.message);
    return image;
  }

  /** Why an image may not be posted right now (checked at creation and again at publish time). */
  refusal(image: Image | null): { code: SchedulerErrorCode; message: string } | null {
    if (!image || image.deletedAt) {
      return { code: SchedulerErrorCode.ImageUnavailable, message: 'The image was deleted.' };
    }
    if (!mayBeShownOrPosted(image)) {
      return {
        code: SchedulerErrorCode.ModerationBlocked,
        message: `The image's moderation state is ${image.moderationState}; only safe images can be posted.`,
      };
    }
    if (this.requireValidated && image.status !== 'validated') {
      return {
        code: SchedulerErrorCode.ImageNotValidated,
        message: `The image is ${image.status}; validate it before posting.`,
      };
    }
    return null;
  }

  findForPublishing(imageId: string): Promise<Image | null> {
    return this.images.findIncludingDeleted(imageId);
  }

  /** `findForPublishing` for a batch of posts: the images by id. */
  async findManyForPublishing(imageIds: string[]): Promise<Map<string, Image>> {
    const images = await this.images.findManyIncludingDeleted(imageIds);
    return new Map(images.map((image) => [image.id, image]));
  }

  asPublishImage(image: Image): PublishImage {
    return {
      mime: image.mime,
      title: image.title,
      prompt: image.prompt,
      bytes: () => this.storage.getBuffer(image.originalKey),
      url: () => this.storage.signedUrl(image.originalKey, { expiresInSeconds: IMAGE_URL_TTL_SECONDS }),
    };
  }
}
