/** Stable error codes of the scheduler (problem+json `code`, and `Post.errorCode`). */
export const SchedulerErrorCode = {
  AccountNotFound: 'social_account_not_found',
  AccountNotActive: 'social_account_not_active',
  PostNotFound: 'post_not_found',
  PostNotEditable: 'post_not_editable',
  PostNotFailed: 'post_not_failed',
  ScheduleNotFound: 'schedule_not_found',
  ModerationBlocked: 'moderation_blocked',
  ImageNotValidated: 'image_not_validated',
  ImageUnavailable: 'image_unavailable',
  UnsafeWebhookUrl: 'unsafe_webhook_url',
  TokenEncryptionUnavailable: 'token_encryption_unavailable',
  AnalyticsUnsupported: 'analytics_unsupported',
  IdempotencyKeyReused: 'idempotency_key_reused',
  /** Post failure codes (Post.errorCode). */
  Missed: 'missed',
  TokenExpired: 'token_expired',
  OutcomeUnknown: 'outcome_unknown',
  PublishRejected: 'publish_rejected',
  PublishUnavailable: 'publish_unavailable',
} as const;
export type SchedulerErrorCode = (typeof SchedulerErrorCode)[keyof typeof SchedulerErrorCode];
