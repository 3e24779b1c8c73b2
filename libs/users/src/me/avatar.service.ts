import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import sharp from 'sharp';
import { Repository } from 'typeorm';
import { ConfigService } from '@nestjs/config';
import { Env, ProblemException } from '@atelier/core';
import { StorageService } from '@atelier/storage';
import { User } from '../user.entity';
import { UsersErrorCode } from '../users.errors';

const AVATAR_SIDE = 256;
const AVATAR_INPUT_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'heif', 'tiff']);

/** Avatars: decoded and checked by content (never by name or declared type), stored as 256 px webp. */
@Injectable()
export class AvatarService {
  private readonly logger = new Logger(AvatarService.name);
  private readonly maxPixels: number;

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly storage: StorageService,
    config: ConfigService<Env, true>,
  ) {
    this.maxPixels = config.get('MAX_UPLOAD_PIXELS', { infer: true });
  }

  async replace(user: User, upload: Buffer): Promise<User> {
    const webp = await toAvatar(upload, this.maxPixels);
    // A fresh key per upload, so caches and signed URLs never serve the previous picture.
    const key = `users/${user.id}/avatar/${randomBytes(8).toString('hex')}.webp`;
    await this.storage.put(key, webp, { contentType: 'image/webp' });
    await this.users.update(user.id, { avatarKey: key });
    if (user.avatarKey) await this.discard(user.avatarKey);
    return this.users.findOneByOrFail({ id: user.id });
  }

  /** The avatar's bytes, or 404 when the user has none. */
  async open(userId: string): Promise<Readable> {
    const user = await this.users.findOneBy({ id: userId });
    if (!user?.avatarKey) throw ProblemException.notFound(UsersErrorCode.UserNotFound, 'No avatar.');
    return this.storage.get(user.avatarKey);
  }

  async discard(key: string): Promise<void> {
    await this.storage.delete(key).catch((error: Error) => {
      this.logger.warn({ key, err: error.message }, 'Could not delete an old avatar');
    });
  }
}

/** Cover-crops to a square and re-encodes; anything sharp cannot decode is refused. */
export async function toAvatar(upload: Buffer, maxPixels: number): Promise<Buffer> {
  try {
    const metadata = await sharp(upload, { limitInputPixels: maxPixels }).metadata();
    if (!metadata.format || !AVATAR_INPUT_FORMATS.has(metadata.format)) throw new Error('unsupported format');
    return await sharp(upload, { limitInputPixels: maxPixels })
      .rotate()
      .resize(AVATAR_SIDE, AVATAR_SIDE, { fit: 'cover' })
      .webp({ quality: 85 })
      .toBuffer();
  } catch {
    throw ProblemException.badRequest(UsersErrorCode.InvalidImage, 'The file is not an image we can read.');
  }
}
