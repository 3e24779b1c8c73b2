import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { EventBus } from '@atelier/core';
import { FINAL_EVENT_TYPES, type JobEventType } from '../processing.types';
import { JobWebhooks } from '../webhooks/job-webhooks.service';
import { JobEvent } from './job-event.entity';

/** A job event as SSE and socket.io clients receive it. */
export interface JobEventMessage {
  jobId: string;
  seq: number;
  type: JobEventType;
  data: Record<string, unknown>;
  createdAt: string;
}

export const jobChannel = (jobId: string) => `job.${jobId}`;
export const userChannel = (ownerId: string) => `user.${ownerId}`;
/** Asks whichever process runs a job to abort it (payload `{ jobId }`). */
export const CANCEL_CHANNEL = 'jobs.cancel';

/** Event data the statement computes from the changed job row (`changed.<column>`), as a jsonb expression. */
export class ComputedEventData {
  constructor(readonly sql: string) {}
}

/** The job a statement changed (its raw RETURNING row) and the event recorded with it. */
export interface ChangeWithEvent {
  row: Record<string, unknown>;
  event: JobEventMessage;
}

type EventOwner = { id: string; ownerId: string; webhookUrl?: string | null; webhookEvents?: string[] };

/**
 * Writes a job's history and tells every process about it: each event is a row (replayed to
 * late subscribers) and a message on `job.<id>` and `user.<ownerId>` (live streams).
 */
@Injectable()
export class JobEventsService {
  private readonly logger = new Logger(JobEventsService.name);

  constructor(
    @InjectRepository(JobEvent) private readonly events: Repository<JobEvent>,
    private readonly bus: EventBus,
    private readonly webhooks: JobWebhooks,
  ) {}

  /** `job` is the row when it has one: its webhook settings decide which deliveries the event raises. */
  async record(
    job: EventOwner,
    type: JobEventType,
    data: Record<string, unknown> = {},
  ): Promise<JobEventMessage> {
    // One INSERT, not save()'s BEGIN/INSERT/COMMIT: this runs several times for every job.
    const row = await this.events.save(this.events.create({ jobId: job.id, type, data }), {
      transaction: false,
    });
    const message = toMessage(row);
    await this.announce(job, message);
    return message;
  }

  /**
   * Runs a change to a job (`[sql, params]` of an UPDATE or INSERT on `jobs` ending in RETURNING)
   * and records the event of the row it changed in the same statement: one round trip, and no moment when the change is there
   * without its event. `also` are further data-modifying CTEs over `changed`. Nothing is recorded
   * when no row changed. The caller announces the event (after its transaction commits, if any).
   */
  async recordWithChange(
    manager: EntityManager,
    [sql, params]: [string, unknown[]],
    type: JobEventType,
    data: Record<string, unknown> | ComputedEventData = {},
    also: string[] = [],
  ): Promise<ChangeWithEvent | undefined> {
    const dataSql = data instanceof ComputedEventData ? data.sql : `$${params.length + 2}::jsonb`;
    const rows = (await manager.query(
      `WITH changed AS (${sql}),
       ${also.map((cte, index) => `also${index} AS (${cte}),`).join('\n')}
       event AS (INSERT INTO job_events (job_id, type, data)
                 SELECT changed.id, $${params.length + 1}::text, ${dataSql} FROM changed
                 RETURNING seq, job_id, type, data, created_at)
       SELECT changed.*, event.seq AS event_seq, event.job_id AS event_job_id, event.type AS event_type,
              event.data AS event_data, event.created_at AS event_created_at
         FROM changed CROSS JOIN event`,
      data instanceof ComputedEventData ? [...params, type] : [...params, type, JSON.stringify(data)],
    )) as Record<string, unknown>[];
    const [row] = rows;
    if (!row) return undefined;
    const event = toMessage({
      seq: row.event_seq as string,
      jobId: row.event_job_id as string,
      type: row.event_type as JobEventType,
      data: row.event_data as Record<string, unknown>,
      createdAt: row.event_created_at as Date,
    });
    return { row, event };
  }

  /** Tells live clients and the job's webhook about an event already recorded. */
  async announce(job: EventOwner, message: JobEventMessage): Promise<void> {
    // A lost publish only delays live clients: the row is there for replay, so do not fail the job.
    await Promise.all([
      this.bus.publish(jobChannel(job.id), message),
      this.bus.publish(userChannel(job.ownerId), message),
    ]).catch((err: Error) => this.logger.warn({ jobId: job.id, err: err.message }, 'Event publish failed'));
    // Same as a lost publish: the event stands; only its webhook is lost (logged).
    await this.webhooks
      .raise(job, message.type)
      .catch((err: Error) => this.logger.warn({ jobId: job.id, err: err.message }, 'Webhook enqueue failed'));
  }

  async requestAbort(jobId: string): Promise<void> {
    await this.bus
      .publish(CANCEL_CHANNEL, { jobId })
      .catch((err: Error) => this.logger.warn({ jobId, err: err.message }, 'Cancel publish failed'));
  }

  async history(jobId: string, afterSeq = 0): Promise<JobEventMessage[]> {
    const rows = await this.events
      .createQueryBuilder('e')
      .where('e.jobId = :jobId', { jobId })
      .andWhere('e.seq > :afterSeq', { afterSeq })
      .orderBy('e.seq', 'ASC')
      .getMany();
    return rows.map(toMessage);
  }

  /**
   * For a finished job: true when a client that has seen up to `afterSeq` has nothing left to
   * receive, because it saw the final event or retention pruned the whole history. (A finished
   * job whose final event is still being written is not exhausted: the live path delivers it.)
   */
  async exhausted(jobId: string, afterSeq: number): Promise<boolean> {
    const [row] = (await this.events.query(
      `SELECT count(*)::int AS total, max(seq) FILTER (WHERE type = ANY($2))::bigint AS final_seq
         FROM job_events WHERE job_id = $1`,
      [jobId, [...FINAL_EVENT_TYPES]],
    )) as { total: number; final_seq: string | null }[];
    return row.total === 0 || (row.final_seq !== null && Number(row.final_seq) <= afterSeq);
  }
}

function toMessage(row: Pick<JobEvent, 'jobId' | 'seq' | 'type' | 'data' | 'createdAt'>): JobEventMessage {
  return {
    jobId: row.jobId,
    seq: Number(row.seq),
    type: row.type,
    data: row.data,
    createdAt: row.createdAt.toISOString(),
  };
}
