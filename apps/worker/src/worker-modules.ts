import type { DynamicModule, Type } from '@nestjs/common';
import { type FeatureName, JobHandlersCheckModule, type QueueJobs } from '@atelier/core';
import { StorageWorkerModule } from '@atelier/storage';
import { UsersWorkerModule } from '@atelier/users';
import { ImagesWorkerModule } from '@atelier/images';
import { ModerationWorkerModule } from '@atelier/moderation';
import { SchedulerWorkerModule } from '@atelier/scheduler';
import { ProcessingWorkerModule } from '@atelier/processing';

/**
 * Queue processors and crons per feature, and the boot check that their processors cover exactly
 * the job names they declare. The api process loads these too when WORKER_EMBEDDED=true, so one
 * process can run everything.
 */
export function workerModules(features: readonly FeatureName[]): (Type | DynamicModule)[] {
  const modules: (Type & { jobs?: QueueJobs })[] = [];
  modules.push(UsersWorkerModule, StorageWorkerModule);
  if (features.includes('images')) modules.push(ImagesWorkerModule, ModerationWorkerModule);
  if (features.includes('processing')) modules.push(ProcessingWorkerModule);
  if (features.includes('scheduler')) modules.push(SchedulerWorkerModule);
  return [...modules, JobHandlersCheckModule.forWorkerModules(modules)];
}
