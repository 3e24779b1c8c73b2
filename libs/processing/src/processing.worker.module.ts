import { Module } from '@nestjs/common';
import { ImagesModule } from '@atelier/images';
import { StylesModule } from '@atelier/styles';
import { GenerationProcessor } from './jobs/generation.processor';
import { JobRunner } from './jobs/job-runner.service';
import { RunningJobs } from './jobs/running-jobs';
import { JobReconciler } from './maintenance/job-reconciler';
import { JobRetention } from './maintenance/job-retention';
import { ProcessingModule } from './processing.module';

/** The generation processor and the jobs crons (reconciler, event retention). */
@Module({
  imports: [ProcessingModule, ImagesModule, StylesModule],
  providers: [GenerationProcessor, JobRunner, RunningJobs, JobReconciler, JobRetention],
})
export class ProcessingWorkerModule {}
