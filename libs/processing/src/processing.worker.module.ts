import { Module } from '@nestjs/common';
import { QueueJobs, QueueName } from '@atelier/core';
import { ImagesModule } from '@atelier/images';
import { ModerationModule } from '@atelier/moderation';
import { StylesModule } from '@atelier/styles';
import { GenerationProcessor } from './jobs/generation.processor';
import { JobLease } from './jobs/job-lease';
import { JobRunner } from './jobs/job-runner.service';
import { RunningJobs } from './jobs/running-jobs';
import { JobReconciler } from './maintenance/job-reconciler';
import { JobRetention } from './maintenance/job-retention';
import { SourceScreening } from './moderation/source-screening';
import { ProcessingModule } from './processing.module';
import { GenerationJobName } from './processing.types';
import { JobStatsRefresher } from './stats/job-stats-refresher';
import { JobWebhookJobName } from './webhooks/job-webhook-events';
import { JobWebhookProcessor } from './webhooks/job-webhook.processor';

/** The generation and job-webhook processors and the jobs crons (reconciler, event retention, stats). */
@Module({
  imports: [ProcessingModule, ImagesModule, StylesModule, ModerationModule],
  providers: [
    GenerationProcessor,
    JobRunner,
    JobLease,
    RunningJobs,
    JobReconciler,
    JobRetention,
    SourceScreening,
    JobStatsRefresher,
    JobWebhookProcessor,
  ],
})
export class ProcessingWorkerModule {
  static readonly jobs: QueueJobs = {
    [QueueName.Generation]: Object.values(GenerationJobName),
    [QueueName.Webhooks]: Object.values(JobWebhookJobName),
  };
}
