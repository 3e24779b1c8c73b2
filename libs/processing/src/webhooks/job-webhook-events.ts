import type { JobEventType } from '../processing.types';

/** Replicate's `webhook_events_filter` vocabulary. */
export const JOB_WEBHOOK_EVENTS = ['start', 'output', 'completed'] as const;
export type JobWebhookEvent = (typeof JOB_WEBHOOK_EVENTS)[number];

/** Bull job name on the webhooks queue; the payload carries ids only. */
export const JobWebhookJobName = { Deliver: 'deliver-job-webhook' } as const;
export interface JobWebhookJobData {
  jobId: string;
  event: JobWebhookEvent;
}

/**
 * Which webhook events a job event raises: `start` when it starts running, `output` when its
 * images are stored, `completed` when it ends however it ends. Each is delivered at most once.
 */
export function webhookEventsFor(type: JobEventType): JobWebhookEvent[] {
  switch (type) {
    case 'started':
      return ['start'];
    case 'completed':
      return ['output', 'completed'];
    case 'failed':
    case 'cancelled':
      return ['completed'];
    default:
      return [];
  }
}

/** One Bull job, and one Standard Webhooks message id, per job and event: retries reuse both. */
export const jobWebhookId = (jobId: string, event: JobWebhookEvent) => `job-webhook:${jobId}:${event}`;
