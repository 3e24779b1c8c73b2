import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { StorageService } from '../storage.service';

/** A temporary file untouched this long lost its writer (a killed api or worker). */
export const STALE_TEMPORARY_FILE_MS = 3_600_000;

/**
 * Removes the `.part` files a process killed mid-write leaves in local storage: a write renames
 * its temporary file into place or deletes it on error, but a SIGKILL does neither.
 */
@Injectable()
export class StaleTemporaryFilesCron {
  private readonly logger = new Logger(StaleTemporaryFilesCron.name);

  constructor(private readonly storage: StorageService) {}

  @Cron('17 * * * *', { name: 'storage.stale-temporary-files', timeZone: 'UTC' })
  async sweep(now = new Date()): Promise<number> {
    try {
      const removed = await this.storage.removeStaleTemporaryFiles(
        new Date(now.getTime() - STALE_TEMPORARY_FILE_MS),
      );
      if (removed) this.logger.log({ removed }, 'Removed temporary files left by killed processes');
      return removed;
    } catch (err) {
      this.logger.warn(
        { err: (err as Error).message },
        'Temporary files sweep failed; next hour tries again',
      );
      return 0;
    }
  }
}
