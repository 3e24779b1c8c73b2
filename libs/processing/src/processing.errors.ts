/** Problem and failure codes of the processing lib. */
export const ProcessingErrorCode = {
  JobNotFound: 'job_not_found',
  JobFinished: 'job_already_finished',
  JobNotRetryable: 'job_not_retryable',
  TemplateNotFound: 'template_not_found',
  ImageNotFound: 'image_not_found',
  PlanForbids: 'plan_forbids',
  ProviderUnknown: 'provider_unknown',
  ProviderNotConfigured: 'provider_not_configured',
  /** A webhookUrl the outbound guard refuses (not a public address). */
  UnsafeWebhookUrl: 'unsafe_webhook_url',
  /** The source image of an edit or style transfer is flagged by moderation. */
  ModerationBlocked: 'moderation_blocked',
  /** A job that ran past its lease (its worker died without Bull noticing). */
  LeaseExpired: 'lease_expired',
  /** Failures of our own code while running a job (not the provider's). */
  InternalError: 'internal_error',
} as const;
export type ProcessingErrorCode = (typeof ProcessingErrorCode)[keyof typeof ProcessingErrorCode];
