import { HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, type Repository } from 'typeorm';
import { type Env, ProblemException } from '@atelier/core';
import { Image } from '@atelier/images';
import { StorageService } from '@atelier/storage';
import type { PublishImage } from '../publishers/publisher';
import { SchedulerErrorCode } from '../scheduler.errors';

/** How long a platform has to fetch an image by URL (Instagram downloads it while the container builds). */
const IMAGE_URL_TTL_SECONDS = 3600;
export const POSTABLE_MODERATION_STATES = ['safe', 'skipped'] as const;

/** The images a post may carry, and the image as publishers see it. */
@Injectable()
export class PostImages {
  private readonly requireValidated: boolean;

  constructor(
    @InjectRepository(Image) private readonly images: Repository<Image>,
    private readonly storage: StorageService,
    config: ConfigService<Env, true>,
  ) {
    this.requireValidated = config.get('SCHEDULER_REQUIRE_VALIDATED', { infer: true });
  }

  /** The caller's image if it may be posted; 404 when it is not theirs, 409 when it may not be posted. */
  async postableImage(ownerId: string, imageId: string): Promise<Image> {
    const image = await this.images.findOneBy({ id: imageId, ownerId, deletedAt: IsNull() });
    if (!image) throw ProblemException.notFound(SchedulerErrorCode.ImageNotFound, 'Image not found.');
    const refusal = this.refusal(image);
    if (refusal) throw new ProblemException(HttpStatus.CONFLICT, refusal.code, refusal.message);
    return image;
  }

  /** Why an image may not be posted right now (checked at creation and again at publish time). */
  refusal(image: Image | null): { code: SchedulerErrorCode; message: string } | null {
    if (!image || image.deletedAt) {
      return { code: SchedulerErrorCode.ImageUnavailable, message: 'The image was deleted.' };
    }
    if (!(POSTABLE_MODERATION_STATES as readonly string[]).includes(image.moderationState)) {
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
    return this.images.findOne({ where: { id: imageId }, withDeleted: true });
  }

  /** `findForPublishing` for a batch of posts: the images by id. */
  async findManyForPublishing(imageIds: string[]): Promise<Map<string, Image>> {
    const images = await this.images.find({ where: { id: In([...new Set(imageIds)]) }, withDeleted: true });
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
