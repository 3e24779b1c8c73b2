import { Injectable } from '@nestjs/common';
import { AuthUser } from '@atelier/core';
import { ImagesService } from '@atelier/images';
import { JobDetailResponse, JobEventResponse, JobResponse } from '../dto/job.response';
import { JobEventsService } from './job-events.service';
import { JobsService } from './jobs.service';

// Progress ticks say little once a job is over; the summary keeps the milestones.
const SUMMARY_SKIPS = new Set(['progress']);

/** A job with its event summary and result images (GET /jobs/:id). */
@Injectable()
export class JobDetailsService {
  constructor(
    private readonly jobs: JobsService,
    private readonly events: JobEventsService,
    private readonly images: ImagesService,
  ) {}

  async detail(user: AuthUser, id: string): Promise<JobDetailResponse> {
    const job = await this.jobs.getOwned(user, id);
    const events = await this.events.history(job.id);
    const results = [];
    for (const imageId of job.resultImageIds) {
      const image = await this.images.findOwned(user.id, imageId).catch(() => null);
      // An image the owner deleted since is simply no longer listed.
      if (image) results.push({ id: image.id, ...(await this.images.contentUrls(image)) });
    }
    return {
      ...JobResponse.from(job),
      events: events.filter((e) => !SUMMARY_SKIPS.has(e.type)).map(JobEventResponse.from),
      results,
    };
  }
}
