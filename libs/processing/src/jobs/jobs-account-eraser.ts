import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { type AccountEraser, AccountErasers } from '@atelier/core';
import { Job } from './job.entity';
import { JobEventsService } from './job-events.service';
import { JobQueueService } from './job-queue.service';
import { JobStateService } from './job-state.service';

/**
 * Account erasure, processing part: jobs still waiting or running are cancelled as a user's cancel
 * would (no provider call is paid for a deleted account). Finished jobs stay as history of an
 * anonymised user; their images are erased by the images part.
 */
@Injectable()
export class JobsAccountEraser implements AccountEraser, OnModuleInit {
  readonly name = 'processing';

  constructor(
    private readonly erasers: AccountErasers,
    @InjectRepository(Job) private readonly jobs: Repository<Job>,
    private readonly state: JobStateService,
    private readonly queue: JobQueueService,
    private readonly events: JobEventsService,
  ) {}

  onModuleInit(): void {
    this.erasers.register(this);
  }

  async erase(userId: string): Promise<void> {
    const active = await this.jobs.find({
      select: { id: true },
      where: { ownerId: userId, status: In(['queued', 'running']) },
    });
    for (const { id } of active) {
      if (!(await this.state.cancel(id))) continue;
      await this.queue.removeWaiting(id);
      await this.events.requestAbort(id);
    }
  }
}
