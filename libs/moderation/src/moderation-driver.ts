import type { ModerationLabel } from '@atelier/images';

export type ModerationVerdict = 'safe' | 'flagged' | 'skipped';

export interface ModerationResult {
  verdict: ModerationVerdict;
  labels: ModerationLabel[];
}

/**
 * One moderation service behind one interface. `moderate` receives the stored original (at most
 * MAX_UPLOAD_BYTES); a driver with tighter limits downsizes it itself. Throwing means "try again
 * later": the job is retried with backoff and the image stays `pending` meanwhile.
 */
export interface ModerationDriver {
  readonly name: string;
  moderate(image: Buffer): Promise<ModerationResult>;
}
