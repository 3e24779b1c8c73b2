import type { JobOptions } from 'bull';

/** Every Bull queue Atelier runs. A job's payload carries ids only, never whole rows. */
export const QueueName = {
  Generation: 'generation',
  Media: 'media',
  Moderation: 'moderation',
  Publishing: 'publishing',
  Analytics: 'analytics',
  Maintenance: 'maintenance',
  Mail: 'mail',
  /** Deliveries to URLs users give (job webhooks). */
  Webhooks: 'webhooks',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];
export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);

/**
 * Defaults for every job: a few attempts with exponential backoff, and bounded history so Redis
 * does not grow without limit (finished work is recorded in PostgreSQL, not in Redis).
 */
export const DEFAULT_JOB_OPTIONS: JobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: 1000,
  removeOnFail: 5000,
};
