import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { EventBus } from '@atelier/core';
import { CANCEL_CHANNEL } from './job-events.service';

/**
 * The AbortControllers of the jobs this process is running. A cancel arrives on the EventBus,
 * so it reaches the job whichever process (api with embedded worker, or a worker) runs it.
 */
@Injectable()
export class RunningJobs implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RunningJobs.name);
  private readonly controllers = new Map<string, AbortController>();
  private unsubscribe?: () => Promise<void>;

  constructor(private readonly bus: EventBus) {}

  async onModuleInit(): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(CANCEL_CHANNEL, (_channel, payload) => {
      const jobId = (payload as { jobId?: string }).jobId;
      const controller = jobId ? this.controllers.get(jobId) : undefined;
      if (controller) {
        this.logger.log({ jobId }, 'Aborting cancelled job');
        controller.abort(new Error('cancelled'));
      }
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.unsubscribe?.();
  }

  start(jobId: string): AbortSignal {
    const controller = new AbortController();
    this.controllers.set(jobId, controller);
    return controller.signal;
  }

  end(jobId: string): void {
    this.controllers.delete(jobId);
  }
}
