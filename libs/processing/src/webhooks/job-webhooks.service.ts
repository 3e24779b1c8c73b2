import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import { createHmac, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { Repository } from 'typeorm';
import { type Env, OutboundHttp, OutboundRequestError, QueueName, UnsafeUrlError } from '@atelier/core';
import { JobResponse } from '../dto/job.response';
import { Job } from '../jobs/job.entity';
import type { JobEventType } from '../processing.types';
import {
  type JobWebhookJobData,
  JobWebhookJobName,
  jobWebhookId,
  webhookEventsFor,
} from './job-webhook-events';

/** Backoff from 2 s doubling, over about an hour in all, as webhook senders commonly retry. */
const DELIVERY_ATTEMPTS = 12;

/**
 * Job webhooks: each event a job's owner asked for becomes one Bull job (deterministic id, so at
 * most one delivery per event however often it is raised), delivered by the worker through the
 * guarded outbound client and signed per Standard Webhooks with the owner's secret.
 */
@Injectable()
export class JobWebhooks {
  private readonly logger = new Logger(JobWebhooks.name);
  private readonly signingKey: Buffer;

  constructor(
    @InjectQueue(QueueName.Webhooks) private readonly queue: Queue<JobWebhookJobData>,
    @InjectRepository(Job) private readonly jobs: Repository<Job>,
    private readonly outbound: OutboundHttp,
    config: ConfigService<Env, true>,
  ) {
    // Derived, not stored: the same for every process that shares the deployment's secrets.
    const secret =
      config.get('JWT_SECRET', { infer: true }) ?? config.get('TOKEN_ENCRYPTION_KEY', { infer: true });
    this.signingKey = secret ? Buffer.from(secret) : randomBytes(32);
  }

  /** The owner's Standard Webhooks secret (`whsec_…`) for verifying job webhooks. */
  secretFor(ownerId: string): string {
    const key = createHmac('sha256', this.signingKey).update(`job-webhooks:${ownerId}`).digest();
    return `whsec_${key.toString('base64')}`;
  }

  /** Called for every recorded job event; enqueues the deliveries it raises. */
  async raise(
    job: { id: string; webhookUrl?: string | null; webhookEvents?: string[] },
    type: JobEventType,
  ): Promise<void> {
    if (!job.webhookUrl) return;
    const events = webhookEventsFor(type).filter((event) => job.webhookEvents?.includes(event));
    for (const event of events) {
      await this.queue.add(
        JobWebhookJobName.Deliver,
        { jobId: job.id, event },
        {
          jobId: jobWebhookId(job.id, event),
          attempts: DELIVERY_ATTEMPTS,
          backoff: { type: 'exponential', delay: 2000 },
        },
      );
    }
  }

  /** One delivery attempt; throws (so Bull retries) unless the receiver answered 2xx. */
  async deliver({ jobId, event }: JobWebhookJobData): Promise<{ status: number } | { skipped: string }> {
    const job = await this.jobs.findOneBy({ id: jobId });
    if (!job?.webhookUrl) return { skipped: 'the job or its webhook is gone' };
    const id = jobWebhookId(job.id, event);
    const sentAt = new Date();
    const payload = JSON.stringify({
      type: `job.${event}`,
      timestamp: sentAt.toISOString(),
      data: JobResponse.from(job),
    });
    let status: number;
    try {
      const response = await this.outbound.request(job.webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Atelier-Webhooks/1',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
          'webhook-signature': new Webhook(this.secretFor(job.ownerId)).sign(id, sentAt, payload),
        },
        body: payload,
        timeoutMs: 10_000,
        maxResponseBytes: 64 * 1024,
      });
      status = response.status;
    } catch (error) {
      const cause = error instanceof OutboundRequestError ? error.cause : error;
      // The address is refused for good (it now resolves inside): retrying cannot help.
      if (cause instanceof UnsafeUrlError) {
        this.logger.warn({ jobId, event, reason: cause.reason }, 'Job webhook refused by the outbound guard');
        return { skipped: cause.reason };
      }
      throw error;
    }
    if (status < 200 || status > 299) throw new Error(`job webhook answered HTTP ${status}`);
    return { status };
  }
}
