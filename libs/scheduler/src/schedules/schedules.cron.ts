import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { ScheduleRunner } from './schedule-runner';

/** Every 30 s: turns due recurring schedules into posts (see ScheduleRunner for the claim). */
@Injectable()
export class SchedulesCron {
  private readonly logger = new Logger(SchedulesCron.name);
  private running = false;

  constructor(private readonly runner: ScheduleRunner) {}

  @Interval('scheduler.run-due-schedules', 30_000)
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.runner.runDueSchedules();
    } catch (error) {
      this.logger.error(`Schedule tick failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.running = false;
    }
  }
}
