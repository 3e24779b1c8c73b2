import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { type Image, ImagesService } from '@atelier/images';
import { SocialAccount } from '../accounts/social-account.entity';
import { PostsService } from '../posts/posts.service';
import { PublishQueue } from '../publishing/publish-queue';
import { fitCaption, renderCaptionTemplate } from './caption-template';
import { computeNextRun } from './next-run';
import { ScheduleRun, type ScheduleRunStatus } from './schedule-run.entity';
import { Schedule } from './schedule.entity';
import { ruleOf } from './schedules.service';

const BATCH = 100;

/**
 * Turns due schedule runs into posts. A run is claimed by moving the schedule's next_run_at from
 * the value that was read to the next one (conditional UPDATE), in the same transaction that
 * records the run and creates its post: two workers never create two posts for one run, and a
 * crash loses nothing half-done.
 */
@Injectable()
export class ScheduleRunner {
  private readonly logger = new Logger(ScheduleRunner.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly posts: PostsService,
    private readonly queue: PublishQueue,
    private readonly images: ImagesService,
  ) {}

  /** Runs every due schedule once; returns the runs recorded. */
  async runDueSchedules(now = new Date()): Promise<ScheduleRun[]> {
    const due = await this.dataSource
      .getRepository(Schedule)
      .createQueryBuilder('schedule')
      .where('schedule.active AND schedule.nextRunAt <= :now', { now })
      .orderBy('schedule.nextRunAt', 'ASC')
      .limit(BATCH)
      .getMany();
    const runs: ScheduleRun[] = [];
    for (const schedule of due) {
      try {
        const run = await this.runOnce(schedule, now);
        if (run) runs.push(run);
      } catch (error) {
        this.logger.error(
          `Schedule ${schedule.id} run failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    return runs;
  }

  private async runOnce(schedule: Schedule, now: Date): Promise<ScheduleRun | null> {
    const runAt = schedule.nextRunAt!;
    // Several missed runs (worker down) become one run now, then the schedule continues from now.
    const next = computeNextRun(ruleOf(schedule), now > runAt ? now : runAt);
    const run = await this.dataSource.transaction(async (manager) => {
      const claimed = await manager
        .createQueryBuilder()
        .update(Schedule)
        .set({ nextRunAt: next, lastRunAt: now })
        .where('id = :id AND active AND next_run_at = :runAt', { id: schedule.id, runAt })
        .execute();
      if (!claimed.affected) return null;
      return this.createRun(manager, schedule, runAt, now);
    });
    if (run?.postId) await this.queue.enqueue(run.postId);
    return run;
  }

  private async createRun(
    manager: EntityManager,
    schedule: Schedule,
    runAt: Date,
    now: Date,
  ): Promise<ScheduleRun> {
    const record = (status: ScheduleRunStatus, reason: string | null, postId: string | null = null) =>
      manager.save(manager.create(ScheduleRun, { scheduleId: schedule.id, runAt, status, reason, postId }));

    const socialAccount = await manager.findOneBy(SocialAccount, { id: schedule.socialAccountId });
    if (!socialAccount || socialAccount.status !== 'active') {
      return record('failed', `The social account is ${socialAccount?.status ?? 'gone'}.`);
    }
    const image = await this.pickImage(manager, schedule);
    if (!image)
      return record('skipped', 'No validated, safe image left that was not already posted to this account.');

    const caption = fitCaption(
      socialAccount.platform,
      renderCaptionTemplate(schedule.captionTemplate, {
        title: image.title,
        prompt: image.prompt,
        date: runAt,
        timeZone: schedule.timeZone,
      }),
      schedule.hashtags,
    );
    if (caption === null) return record('failed', `The hashtags do not fit on ${socialAccount.platform}.`);
    const post = await this.posts.insert(manager, {
      ownerId: schedule.ownerId,
      imageId: image.id,
      account: socialAccount,
      caption,
      hashtags: schedule.hashtags,
      scheduledAt: now,
      scheduleId: schedule.id,
    });
    return record('posted', null, post.id);
  }

  /** The owner's oldest postable image in the schedule's folder/tag not yet posted to its account. */
  private pickImage(manager: EntityManager, schedule: Schedule): Promise<Image | null> {
    return this.images
      .postableImages(manager, { ownerId: schedule.ownerId, folderId: schedule.folderId, tag: schedule.tag })
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM posts p WHERE p.image_id = i.id AND p.social_account_id = :accountId AND p.status <> 'cancelled')`,
        { accountId: schedule.socialAccountId },
      )
      .limit(1)
      .getOne();
  }
}
