import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { AuthUser, ProblemException } from '@atelier/core';
import { ObjectInfo, StorageService } from '@atelier/storage';
import { Image } from './entities/image.entity';
import { EXTENSION_BY_FORMAT, ImageFormat } from './image-codec';
import { ImageErrorCode } from './images.errors';
import { ImagesService } from './images.service';

export type ImageVariant = 'original' | 'thumbnail';

export type ImageContent =
  | { kind: 'redirect'; url: string }
  | {
      kind: 'stored';
      info: ObjectInfo;
      filename: string;
      /** False while the original stands in for a thumbnail not made yet. */
      final: boolean;
      open(): Promise<Readable>;
    };

/**
 * Bytes of an image for GET /images/:id/content: streamed from local storage, or a redirect to a
 * short-lived presigned URL when objects live in S3 (the api never proxies S3 traffic).
 */
@Injectable()
export class ImageContentService {
  constructor(
    private readonly images: ImagesService,
    private readonly storage: StorageService,
    private readonly db: DataSource,
  ) {}

  async open(
    viewer: AuthUser | undefined,
    id: string,
    variant: ImageVariant,
    download: boolean,
  ): Promise<ImageContent> {
    const image = await this.images.findVisible(viewer, id);
    // Until the thumbnail exists, the original stands in for it.
    const key = variant === 'thumbnail' && image.thumbnailKey ? image.thumbnailKey : image.originalKey;
    const filename = downloadName(image, key);
    if (download) {
      await this.db.query(`UPDATE images SET downloads_count = downloads_count + 1 WHERE id = $1`, [
        image.id,
      ]);
    }
    if (this.storage.driverName !== 'local') {
      return {
        kind: 'redirect',
        url: await this.storage.signedUrl(key, { download: download ? filename : undefined }),
      };
    }
    const info = await this.storage.head(key);
    if (!info) throw ProblemException.notFound(ImageErrorCode.NotFound, 'The image file no longer exists.');
    return {
      kind: 'stored',
      info,
      filename,
      final: variant === 'original' || key === image.thumbnailKey,
      open: () => this.storage.get(key),
    };
  }
}

function downloadName(image: Image, key: string): string {
  const ext =
    key.slice(key.lastIndexOf('.') + 1) || EXTENSION_BY_FORMAT[image.mime.split('/')[1] as ImageFormat];
  const base = (image.title ?? '')
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 80);
  return `${base || image.id}.${ext}`;
}
