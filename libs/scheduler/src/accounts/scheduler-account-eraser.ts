import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type AccountEraser, AccountErasers } from '@atelier/core';

/**
 * Account erasure, publishing part: the user's social accounts (their platform tokens) are
 * removed, and with them (ON DELETE CASCADE) every post, schedule and analytics row, so nothing
 * pending can publish any more.
 */
@Injectable()
export class SchedulerAccountEraser implements AccountEraser, OnModuleInit {
  readonly name = 'scheduler';

  constructor(
    private readonly erasers: AccountErasers,
    private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.erasers.register(this);
  }

  async erase(userId: string): Promise<void> {
    await this.db.query('DELETE FROM social_accounts WHERE owner_id = $1', [userId]);
  }
}
