import { Module } from '@nestjs/common';
import { StaleTemporaryFilesCron } from './maintenance/stale-temporary-files.cron';

/** Storage upkeep in the worker: the sweep of temporary files killed processes left behind. */
@Module({ providers: [StaleTemporaryFilesCron] })
export class StorageWorkerModule {}
