import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ExternalServiceError, hydrateRow } from '@atelier/core';
import { Image, ImageIngestService, ImagesService } from '@atelier/images';
import { StorageService } from '@atelier/storage';
import { StylesService } from '@atelier/styles';
import { PlansService } from '@atelier/users';
import { SourceScreening } from '../moderation/source-screening';
import { ProcessingErrorCode } from '../processing.errors';
import type { ProgressSink, ProviderJob } from '../providers/image-provider';
import { ProviderRegistry } from '../providers/provider-registry';
import { Job } from './job.entity';
import { ComputedEventData, JobEventMessage, JobEventsService } from './job-events.service';
import { JobLease } from './job-lease';
import { JobStateService } from './job-state.service';
import { RunningJobs } from './running-jobs';

export type RunOutcome =
  /** Finished (succeeded, failed for good, cancelled, or already handled elsewhere). */
  | { kind: 'done' }
  /** The owner already runs as many jobs as the plan allows: try again after `delayMs`. */
  | { kind: 'deferred'; delayMs: number };

/** When a user is at the plan's concurrency, their next job looks again after this long. */
export const CONCURRENCY_RECHECK_MS = 1000;
const SOURCE_KIND = {
  generate: 'generated',
  edit: 'edited',
  style_transfer: 'styled',
  workflow: 'workflow',
} as const;
const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };
const PREVIEW_URL_TTL_SECONDS = 3600;

/**
 * Runs one job row on its provider: claims it (conditional UPDATE, plan concurrency under a
 * per-owner advisory lock), streams progress and previews, stores each output keyed by
 * (job, index) so a re-run never duplicates images, and records the outcome. Retryable provider
 * failures are rethrown (Bull retries); everything else ends the job here.
 */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger(JobRunner.name);

  constructor(
    private readonly db: DataSource,
    private readonly providers: ProviderRegistry,
    private readonly plans: PlansService,
    private readonly images: ImagesService,
    private readonly ingest: ImageIngestService,
    private readonly storage: StorageService,
    private readonly styles: StylesService,
    private readonly events: JobEventsService,
    private readonly state: JobStateService,
    private readonly running: RunningJobs,
    private readonly screening: SourceScreening,
    private readonly lease: JobLease,
  ) {}

  /**
   * `finalAttempt`: Bull will not try again, so a retryable failure now fails the job. `ownerId`
   * (from the queue entry) spares the claim a read of the row before it takes the owner's lock.
   */
  async run(jobId: string, finalAttempt: boolean, ownerId?: string): Promise<RunOutcome> {
    // Listen for a cancel before claiming, so one sent right after the claim is not missed.
    const signal = this.running.start(jobId);
    try {
      const claim = await this.claim(jobId, ownerId);
      if (claim.kind !== 'claimed') return claim.kind === 'deferred' ? claim : { kind: 'done' };
      const release = this.lease.hold(jobId);
      try {
        await this.events.announce(claim.job, claim.started);
        return await this.execute(claim.job, signal, finalAttempt);
      } finally {
        release();
      }
    } finally {
      this.running.end(jobId);
    }
  }

  private async execute(job: Job, signal: AbortSignal, finalAttempt: boolean): Promise<RunOutcome> {
    try {
      const provider = this.providers.find(job.provider);
      if (!provider) throw new Error(`provider ${job.provider} is not available in this process`);
      const { input, sourceImage } = await this.providerJob(job);
      if (sourceImage && input.source) {
        const verdict = await this.screening.screen(job.type, sourceImage, input.source.buffer);
        if (verdict.blocked) {
          // Final: the same picture would be flagged again. Nothing was sent to the provider.
          await this.state.fail(job.id, ['running'], {
            code: ProcessingErrorCode.ModerationBlocked,
            message: `The source image was flagged by moderation (${verdict.labels.join(', ') || 'no label'}).`,
          });
          return { kind: 'done' };
        }
      }
      const result = await provider.run(input, signal, this.sink(job, signal));
      signal.throwIfAborted();
      const imageIds: string[] = [];
      for (const [index, buffer] of result.images.entries()) {
        const image = await this.ingest.ingest({
          ownerId: job.ownerId,
          buffer,
          source: SOURCE_KIND[job.type],
          jobId: job.id,
          jobIndex: index,
          parentImageId: job.sourceImageId ?? undefined,
          prompt: job.prompt || undefined,
          negativePrompt: job.negativePrompt ?? undefined,
          provider: job.provider,
          model: job.model ?? undefined,
          styleId: job.styleId ?? undefined,
          params: job.params,
          folderId: job.folderId ?? undefined,
          tags: job.tags,
          thumbnailNow: true,
        });
        imageIds.push(image.id);
      }
      const succeeded = await this.state.succeed(job.id, {
        imageIds,
        usage: result.usage,
        providerRequestId: result.providerRequestId,
      });
      if (succeeded && job.styleId) {
        // Popularity counts are a side effect: a failure to count never fails the job.
        await this.styles
          .recordUse(job.ownerId, job.styleId)
          .catch((err: Error) =>
            this.logger.warn({ jobId: job.id, err: err.message }, 'Style use not counted'),
          );
      }
      return { kind: 'done' };
    } catch (err) {
      // A cancel was recorded by whoever asked for it; nothing is left to do here.
      if (signal.aborted) return { kind: 'done' };
      return this.handleFailure(job, err, finalAttempt);
    }
  }

  private async handleFailure(job: Job, err: unknown, finalAttempt: boolean): Promise<RunOutcome> {
    const failure = describeFailure(err);
    if (!(err instanceof ExternalServiceError)) {
      this.logger.error(
        { jobId: job.id, err: (err as Error)?.stack ?? String(err) },
        'Job failed in our code',
      );
    }
    if (failure.kind === 'retryable' && !finalAttempt) {
      const requeued = await this.db
        .createQueryBuilder()
        .update(Job)
        .set({
          status: 'queued',
          errorCode: failure.code,
          errorMessage: failure.message,
          providerRequestId: failure.providerRequestId ?? null,
          leaseExpiresAt: null,
        })
        .where("id = :id AND status = 'running'", { id: job.id })
        .returning('id')
        .execute();
      if ((requeued.raw as unknown[]).length > 0) {
        await this.events.record(job, 'retrying', {
          attempt: job.attempts,
          code: failure.code,
          message: failure.message,
          retryAfterMs: failure.retryAfterMs ?? null,
        });
      }
      // Bull retries; generationBackoff reads `retryAfterMs` from what is thrown.
      throw err;
    }
    await this.state.fail(job.id, ['running'], {
      code: failure.code,
      message: failure.message,
      providerRequestId: failure.providerRequestId,
    });
    return { kind: 'done' };
  }

  /**
   * The plan, then one transaction holding the owner's lock (BEGIN, lock, one conditional UPDATE
   * that also counts the owner's running jobs and records the `started` event, COMMIT); the event
   * is announced once the claim is committed, so no cancel can be recorded before it. A job that
   * is not claimed is either finished (gone) or waits for a free slot (deferred).
   */
  private async claim(
    jobId: string,
    knownOwnerId?: string,
  ): Promise<
    | { kind: 'claimed'; job: Job; started: JobEventMessage }
    | { kind: 'gone' }
    | { kind: 'deferred'; delayMs: number }
  > {
    const ownerId = knownOwnerId ?? (await this.db.manager.findOneBy(Job, { id: jobId }))?.ownerId;
    if (!ownerId) return { kind: 'gone' };
    // Read before the transaction: a claim holding a pooled connection never waits for a second
    // one, so any number of claims queued on the owner's lock cannot exhaust the pool.
    const plan = await this.plans.planForUser(ownerId);
    return this.db.transaction(async (manager) => {
      // One owner's claims are serialised, so two workers cannot both take the last free slot.
      // The UPDATE below is a later statement, so its count sees every claim committed before ours.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [ownerId]);
      const claim = manager
        .createQueryBuilder()
        .update(Job)
        .set({
          status: 'running',
          progress: 0,
          attempts: () => 'attempts + 1',
          startedAt: () => 'coalesce(started_at, now())',
          leaseExpiresAt: this.lease.expiry(),
        })
        .where("id = :id AND owner_id = :ownerId AND status IN ('queued', 'running')", { id: jobId, ownerId })
        .andWhere(
          `(SELECT count(*) FROM jobs busy
             WHERE busy.owner_id = :ownerId AND busy.status = 'running' AND busy.id <> :id) < :concurrency`,
          { concurrency: plan.concurrency },
        )
        .returning('*');
      const claimed = await this.events.recordWithChange(
        manager,
        claim.getQueryAndParameters(),
        'started',
        new ComputedEventData(`jsonb_build_object('attempt', changed.attempts)`),
      );
      if (claimed) {
        return {
          kind: 'claimed' as const,
          job: hydrateRow(manager, Job, claimed.row),
          started: claimed.event,
        };
      }
      // Not claimed: the owner is at the plan's concurrency, unless the job ended meanwhile.
      const waiting = await manager
        .createQueryBuilder()
        .update(Job)
        .set({ status: 'queued', leaseExpiresAt: null })
        .where("id = :id AND status IN ('queued', 'running')", { id: jobId })
        .returning('id')
        .execute();
      return (waiting.raw as unknown[]).length > 0
        ? { kind: 'deferred' as const, delayMs: CONCURRENCY_RECHECK_MS }
        : { kind: 'gone' as const };
    });
  }

  private async providerJob(job: Job): Promise<{ input: ProviderJob; sourceImage?: Image }> {
    const images = new Map<string, Image>();
    const load = async (imageId: string | null) => {
      if (!imageId) return undefined;
      const image = await this.images.findOwned(job.ownerId, imageId);
      images.set(imageId, image);
      return { buffer: await this.images.readOriginal(image), mime: image.mime };
    };
    const input: ProviderJob = {
      id: job.id,
      type: job.type,
      prompt: job.prompt,
      negativePrompt: job.negativePrompt,
      model: job.model ?? '',
      params: job.params,
      source: await load(job.sourceImageId),
      mask: await load(job.maskImageId),
    };
    return { input, sourceImage: job.sourceImageId ? images.get(job.sourceImageId) : undefined };
  }

  private sink(job: Job, signal: AbortSignal): ProgressSink {
    return {
      progress: async (percent) => {
        if (signal.aborted) return;
        const value = Math.max(0, Math.min(99, Math.round(percent)));
        const update = this.db
          .createQueryBuilder()
          .update(Job)
          .set({ progress: value })
          .where("id = :id AND status = 'running'", { id: job.id })
          .returning('id');
        // A job that ended meanwhile (cancelled, taken over) gets no progress after its final event.
        const data = { percent: value };
        const changed = await this.events.recordWithChange(
          this.db.manager,
          update.getQueryAndParameters(),
          'progress',
          data,
        );
        if (changed) await this.events.announce(job, changed.event);
      },
      preview: async (buffer, mime) => {
        if (signal.aborted) return;
        // Only the latest preview is kept: it is for live clients, never a result.
        const key = `users/${job.ownerId}/jobs/${job.id}/preview.${EXTENSIONS[mime] ?? 'png'}`;
        await this.storage.put(key, buffer, { contentType: mime });
        const url = await this.storage.signedUrl(key, { expiresInSeconds: PREVIEW_URL_TTL_SECONDS });
        // `key` lets the retention cron delete the object along with the event.
        await this.events.record(job, 'preview', { url, mime, key });
      },
    };
  }
}

interface Failure {
  kind: string;
  code: string;
  message: string;
  retryAfterMs?: number;
  providerRequestId?: string;
}

/** Provider failures come classified; a failure of our own code (storage, database) is retried. */
function describeFailure(err: unknown): Failure {
  if (err instanceof ExternalServiceError) return err;
  return {
    kind: 'retryable',
    code: ProcessingErrorCode.InternalError,
    message: `internal error: ${err instanceof Error ? err.message : String(err)}`,
  };
}
