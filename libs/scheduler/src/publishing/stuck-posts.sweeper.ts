import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { EventBus, QueueName } from '@atelier/core';
import { SchedulerErrorCode } from '../scheduler.errors';
import { PostClaims } from './post-claims';
import { publishJobId } from './publish-queue';

/**
 * Longer than any live attempt (a platform request times out after PROVIDER_TIMEOUT_SECONDS,
 * 5 min by default), so a post still being sent by a worker is never touched.
 */
export const STUCK_AFTER_MINUTES = 15;
const BATCH = 100;

export interface SweepResult {
  /** Back to `scheduled`: nothing had been sent. */
  requeued: string[];
  /** `failed` with outcome_unknown: an attempt may have reached the platform. */
  failed: string[];
}

/**
 * Posts left `publishing` by a delivery that no longer exists (Redis lost the job, or Bull gave up
 * on it after it stalled). No job will ever finish them, so the sweep does, following the claim
 * design (PostClaims): a post whose last attempt is known to have sent nothing — never claimed, or
 * released for a retry — is scheduled again; any other may already be on the platform and is
 * failed with `outcome_unknown` for the user to check and retry, never re-sent blindly.
 */
@Injectable()
export class StuckPostsSweeper {
  private readonly logger = new Logger(StuckPostsSweeper.name);

  constructor(
    private readonly claims: PostClaims,
    @InjectQueue(QueueName.Publishing) private readonly queue: Queue,
    private readonly events: EventBus,
  ) {}

  async sweep(): Promise<SweepResult> {
    const result: SweepResult = { requeued: [], failed: [] };
    for (const stale of await this.claims.stalePublishing(STUCK_AFTER_MINUTES, BATCH)) {
      if (await this.hasLiveJob(stale.id)) continue;
      if (!stale.claimToken || stale.attempts === 0 || stale.awaitingRetry) {
        if (await this.claims.requeueStale(stale)) result.requeued.push(stale.id);
        continue;
      }
      const message =
        `Publishing was interrupted and its job was lost, so it may or may not have been published. ` +
        `Check the platform, then retry if it is missing.`;
      if (await this.claims.failStale(stale, SchedulerErrorCode.OutcomeUnknown, message)) {
        result.failed.push(stale.id);
        await this.events
          .publish(`user.${stale.ownerId}`, { type: 'post.failed', postId: stale.id })
          .catch(() => undefined);
      }
    }
    if (result.requeued.length || result.failed.length) {
      this.logger.warn(
        { requeued: result.requeued, failed: result.failed },
        'Recovered posts stuck in publishing without a job',
      );
    }
    return result;
  }

  /** A job still waiting, delayed for a retry or running will settle the post itself. */
  private async hasLiveJob(postId: string): Promise<boolean> {
    const job = await this.queue.getJob(publishJobId(postId));
    if (!job) return false;
    // A finished job (failed for good after stalling, say) will not run again either.
    return !((await job.isCompleted()) || (await job.isFailed()));
  }
}
