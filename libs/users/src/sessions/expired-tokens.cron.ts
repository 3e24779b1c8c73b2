import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { DataSource } from 'typeorm';

/**
 * Deletes refresh and mailed tokens a day after they stopped being usable. The day of grace keeps
 * a just-revoked family around long enough to recognise a late replay of one of its tokens.
 * Idempotent, so several workers running it at once is harmless.
 */
@Injectable()
export class ExpiredTokensCron {
  private readonly logger = new Logger(ExpiredTokensCron.name);

  constructor(private readonly db: DataSource) {}

  @Cron(CronExpression.EVERY_DAY_AT_3AM, { name: 'users.purge-expired-tokens' })
  async purgeExpiredTokens(): Promise<void> {
    const [, sessions] = (await this.db.query(
      `DELETE FROM refresh_tokens
       WHERE expires_at < now() - interval '1 day' OR revoked_at < now() - interval '1 day'`,
    )) as [unknown, number];
    const [, mailed] = (await this.db.query(
      `DELETE FROM user_tokens WHERE expires_at < now() - interval '1 day' OR used_at < now() - interval '1 day'`,
    )) as [unknown, number];
    this.logger.log({ sessions, mailed }, 'Purged expired tokens');
  }
}
