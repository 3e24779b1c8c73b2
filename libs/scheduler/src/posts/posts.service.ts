import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  isUniqueViolation,
  keysetPage,
  namedFieldErrors,
  type Page,
  ProblemException,
  referencedBy,
} from '@atelier/core';
import { SocialAccountsService } from '../accounts/social-accounts.service';
import type { SocialAccount } from '../accounts/social-account.entity';
import { PublishQueue } from '../publishing/publish-queue';
import { SchedulerErrorCode } from '../scheduler.errors';
import { checkCaption, normalizeHashtags } from './caption-limits';
import { type CreatePostDto, PostDto, type PostListQuery, type UpdatePostDto } from './dto/post.dto';
import { PostImages } from './post-images';
import { Post, type PostStatus } from './post.entity';

/** A scheduledAt this far in the past still counts as "now" (clock skew between client and server). */
const PAST_TOLERANCE_MS = 60_000;

export interface NewPost {
  ownerId: string;
  imageId: string;
  account: SocialAccount;
  caption: string;
  hashtags: string[];
  scheduledAt: Date;
  idempotencyKey?: string | null;
  scheduleId?: string | null;
}

@Injectable()
export class PostsService {
  constructor(
    @InjectRepository(Post) private readonly posts: Repository<Post>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: SocialAccountsService,
    private readonly images: PostImages,
    private readonly queue: PublishQueue,
  ) {}

  async create(ownerId: string, dto: CreatePostDto, idempotencyKey?: string): Promise<PostDto> {
    if (idempotencyKey) {
      const previous = await this.posts.findOne({
        where: { ownerId, idempotencyKey },
        relations: { socialAccount: true },
      });
      if (previous) return this.replay(previous, dto);
    }
    const account = await referencedBy(
      'socialAccountId',
      this.accounts.findOwned(ownerId, dto.socialAccountId),
    );
    if (account.status !== 'active') {
      throw ProblemException.conflict(
        SchedulerErrorCode.AccountNotActive,
        `The social account is ${account.status}; reconnect it before posting.`,
      );
    }
    await referencedBy('imageId', this.images.postableImage(ownerId, dto.imageId));
    const caption = dto.caption ?? '';
    const hashtags = assertCaptionFits(account, caption, dto.hashtags ?? []);
    const scheduledAt = dto.scheduledAt ?? new Date();
    if (scheduledAt.getTime() < Date.now() - PAST_TOLERANCE_MS) {
      throw ProblemException.invalidField('scheduledAt', 'must be in the future (omit it to publish now)');
    }
    let post: Post;
    try {
      post = await this.insert(this.dataSource.manager, {
        ownerId,
        imageId: dto.imageId,
        account,
        caption,
        hashtags,
        scheduledAt,
        idempotencyKey: idempotencyKey ?? null,
      });
    } catch (error) {
      // Two requests with one Idempotency-Key raced: the unique index let one in; answer with it.
      if (idempotencyKey && isUniqueViolation(error)) {
        const winner = await this.posts.findOneOrFail({
          where: { ownerId, idempotencyKey },
          relations: { socialAccount: true },
        });
        return this.replay(winner, dto);
      }
      throw error;
    }
    if (post.scheduledAt.getTime() <= Date.now()) await this.queue.enqueue(post.id);
    return PostDto.from(post);
  }

  /** Inserts a scheduled post (the API and the schedule runner both create posts through here). */
  async insert(manager: EntityManager, input: NewPost): Promise<Post> {
    const post = manager.create(Post, {
      ownerId: input.ownerId,
      imageId: input.imageId,
      socialAccountId: input.account.id,
      caption: input.caption,
      hashtags: input.hashtags,
      scheduledAt: input.scheduledAt,
      status: 'scheduled',
      idempotencyKey: input.idempotencyKey ?? null,
      scheduleId: input.scheduleId ?? null,
    });
    const saved = await manager.save(post);
    saved.socialAccount = input.account;
    return saved;
  }

  list(ownerId: string, query: PostListQuery): Promise<Page<PostDto>> {
    const qb = this.posts
      .createQueryBuilder('post')
      .innerJoinAndSelect('post.socialAccount', 'account')
      .where('post.ownerId = :ownerId', { ownerId });
    if (query.status) qb.andWhere('post.status = :status', { status: query.status });
    if (query.platform) qb.andWhere('account.platform = :platform', { platform: query.platform });
    if (query.from) qb.andWhere('post.scheduledAt >= :from', { from: query.from });
    if (query.to) qb.andWhere('post.scheduledAt < :to', { to: query.to });
    return keysetPage(qb, {
      sortColumn: 'post.createdAt',
      idColumn: 'post.id',
      limit: query.limit,
      cursor: query.cursor,
      map: PostDto.from,
    });
  }

  async findOwned(ownerId: string, id: string): Promise<Post> {
    const post = await this.posts.findOne({ where: { id, ownerId }, relations: { socialAccount: true } });
    if (!post) throw ProblemException.notFound(SchedulerErrorCode.PostNotFound, 'Post not found.');
    return post;
  }

  async update(ownerId: string, id: string, dto: UpdatePostDto): Promise<PostDto> {
    const post = await this.findOwned(ownerId, id);
    assertStatus(post, 'scheduled', SchedulerErrorCode.PostNotEditable);
    const caption = dto.caption ?? post.caption;
    const hashtags = assertCaptionFits(post.socialAccount!, caption, dto.hashtags ?? post.hashtags);
    const scheduledAt = dto.scheduledAt ?? post.scheduledAt;
    if (dto.scheduledAt && dto.scheduledAt.getTime() < Date.now() - PAST_TOLERANCE_MS) {
      throw ProblemException.invalidField('scheduledAt', 'must be in the future');
    }
    // Conditional: the publisher may have claimed the post since it was read.
    const result = await this.posts.update({ id, status: 'scheduled' }, { caption, hashtags, scheduledAt });
    if (!result.affected) throw notInStatus('scheduled', SchedulerErrorCode.PostNotEditable);
    if (scheduledAt.getTime() <= Date.now()) await this.queue.enqueue(id);
    return PostDto.from(await this.findOwned(ownerId, id));
  }

  async remove(ownerId: string, id: string): Promise<void> {
    const post = await this.findOwned(ownerId, id);
    assertStatus(post, 'scheduled', SchedulerErrorCode.PostNotEditable);
    const result = await this.posts.delete({ id, status: 'scheduled' });
    if (!result.affected) throw notInStatus('scheduled', SchedulerErrorCode.PostNotEditable);
  }

  async cancel(ownerId: string, id: string): Promise<PostDto> {
    await this.transition(
      ownerId,
      id,
      'scheduled',
      { status: 'cancelled' },
      SchedulerErrorCode.PostNotEditable,
    );
    return PostDto.from(await this.findOwned(ownerId, id));
  }

  /** Moves the post's time to now and enqueues it; the processor's claim still decides who publishes. */
  async publishNow(ownerId: string, id: string): Promise<PostDto> {
    await this.transition(
      ownerId,
      id,
      'scheduled',
      { scheduledAt: new Date() },
      SchedulerErrorCode.PostNotEditable,
    );
    await this.queue.enqueue(id);
    return PostDto.from(await this.findOwned(ownerId, id));
  }

  /** A failed post goes back to `scheduled` for now, with a fresh claim. */
  async retry(ownerId: string, id: string): Promise<PostDto> {
    const post = await this.findOwned(ownerId, id);
    assertStatus(post, 'failed', SchedulerErrorCode.PostNotFailed);
    await this.images.postableImage(ownerId, post.imageId);
    if (post.socialAccount?.status !== 'active') {
      throw ProblemException.conflict(
        SchedulerErrorCode.AccountNotActive,
        `The social account is ${post.socialAccount?.status}; reconnect it before retrying.`,
      );
    }
    await this.transition(
      ownerId,
      id,
      'failed',
      {
        status: 'scheduled',
        scheduledAt: new Date(),
        errorCode: null,
        errorMessage: null,
        claimToken: null,
        awaitingRetry: false,
      },
      SchedulerErrorCode.PostNotFailed,
    );
    await this.queue.enqueue(id);
    return PostDto.from(await this.findOwned(ownerId, id));
  }

  private async transition(
    ownerId: string,
    id: string,
    from: PostStatus,
    changes: QueryDeepPartialEntity<Post>,
    code: SchedulerErrorCode,
  ): Promise<void> {
    const result = await this.posts.update({ id, ownerId, status: from }, changes);
    if (result.affected) return;
    await this.findOwned(ownerId, id); // 404 when it is not the caller's
    throw notInStatus(from, code);
  }

  private replay(previous: Post, dto: CreatePostDto): PostDto {
    if (previous.imageId !== dto.imageId || previous.socialAccountId !== dto.socialAccountId) {
      throw new ProblemException(
        HttpStatus.UNPROCESSABLE_ENTITY,
        SchedulerErrorCode.IdempotencyKeyReused,
        'This Idempotency-Key was used for a different post.',
      );
    }
    return PostDto.from(previous);
  }
}

/** Normalised hashtags, or a 400 naming `caption` / `hashtags` when the text exceeds the platform's limits. */
export function assertCaptionFits(account: SocialAccount, caption: string, hashtags: string[]): string[] {
  const errors = checkCaption(account.platform, caption, hashtags);
  if (errors.length > 0) {
    throw ProblemException.validationFailed(errors, namedFieldErrors(errors));
  }
  return normalizeHashtags(hashtags).tags;
}

function assertStatus(post: Post, expected: PostStatus, code: SchedulerErrorCode): void {
  if (post.status !== expected) throw notInStatus(expected, code, post.status);
}

function notInStatus(expected: PostStatus, code: SchedulerErrorCode, actual?: PostStatus): ProblemException {
  const now = actual ? ` (it is ${actual})` : '';
  return ProblemException.conflict(code, `Only a ${expected} post can do this${now}.`);
}
