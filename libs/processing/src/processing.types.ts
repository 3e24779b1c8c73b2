/** The kinds of work a job can be, and the states a job row moves through. */
export const JobType = {
  Generate: 'generate',
  Edit: 'edit',
  StyleTransfer: 'style_transfer',
  Workflow: 'workflow',
} as const;
export type JobType = (typeof JobType)[keyof typeof JobType];
export const JOB_TYPES: readonly JobType[] = Object.values(JobType);

export const JobStatus = {
  Queued: 'queued',
  Running: 'running',
  Succeeded: 'succeeded',
  Failed: 'failed',
  Cancelled: 'cancelled',
} as const;
export type JobStatus = (typeof JobStatus)[keyof typeof JobStatus];
export const JOB_STATUSES: readonly JobStatus[] = Object.values(JobStatus);
export const FINISHED_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];

/** What a job row's event log records; the last three end a job's event stream. */
export const JobEventType = {
  Queued: 'queued',
  Started: 'started',
  Progress: 'progress',
  Preview: 'preview',
  Retrying: 'retrying',
  Completed: 'completed',
  Failed: 'failed',
  Cancelled: 'cancelled',
} as const;
export type JobEventType = (typeof JobEventType)[keyof typeof JobEventType];
export const FINAL_EVENT_TYPES: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

export type OutputFormat = 'png' | 'jpeg' | 'webp';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['png', 'jpeg', 'webp'];

/** Bull job names on the generation queue; each payload carries ids only. */
export const GenerationJobName = { Run: 'run' } as const;
export interface GenerationJobData {
  jobId: string;
  /** The row's owner, so the claim reads the plan without reading the row first (absent on entries queued by older builds). */
  ownerId?: string;
}
