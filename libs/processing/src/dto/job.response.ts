import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Job } from '../jobs/job.entity';
import type { JobEventMessage } from '../jobs/job-events.service';

export class JobErrorResponse {
  @ApiProperty() code: string;
  @ApiProperty() message: string;
}

export class JobResponse {
  @ApiProperty() id: string;
  @ApiProperty() type: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'] }) status: string;
  @ApiProperty({ minimum: 0, maximum: 100 }) progress: number;
  @ApiProperty() provider: string;
  @ApiPropertyOptional({ type: String, nullable: true }) model: string | null;
  @ApiProperty() prompt: string;
  @ApiPropertyOptional({ type: String, nullable: true }) negativePrompt: string | null;
  @ApiProperty({ type: Object }) params: Record<string, unknown>;
  @ApiPropertyOptional({ type: String, nullable: true }) styleId: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) templateId: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) workflowId: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) sourceImageId: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) maskImageId: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) folderId: string | null;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty() attempts: number;
  @ApiPropertyOptional({ type: JobErrorResponse, nullable: true }) error: JobErrorResponse | null;
  @ApiPropertyOptional({ type: String, nullable: true }) providerRequestId: string | null;
  @ApiPropertyOptional({ type: Object, nullable: true }) usage: Record<string, unknown> | null;
  @ApiProperty({ type: [String] }) resultImageIds: string[];
  @ApiPropertyOptional({ type: String, nullable: true }) retryOfId: string | null;
  @ApiProperty() queuedAt: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) startedAt: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) finishedAt: string | null;
  @ApiProperty() createdAt: string;

  static from(job: Job): JobResponse {
    return {
      id: job.id,
      type: job.type,
      status: job.status,
      progress: job.progress,
      provider: job.provider,
      model: job.model,
      prompt: job.prompt,
      negativePrompt: job.negativePrompt,
      params: job.params,
      styleId: job.styleId,
      templateId: job.templateId,
      workflowId: job.workflowId,
      sourceImageId: job.sourceImageId,
      maskImageId: job.maskImageId,
      folderId: job.folderId,
      tags: job.tags,
      attempts: job.attempts,
      error: job.errorCode ? { code: job.errorCode, message: job.errorMessage ?? '' } : null,
      providerRequestId: job.providerRequestId,
      usage: job.usage,
      resultImageIds: job.resultImageIds,
      retryOfId: job.retryOfId,
      queuedAt: job.queuedAt.toISOString(),
      startedAt: job.startedAt?.toISOString() ?? null,
      finishedAt: job.finishedAt?.toISOString() ?? null,
      createdAt: job.createdAt.toISOString(),
    };
  }
}

export class JobEventResponse {
  @ApiProperty() seq: number;
  @ApiProperty() type: string;
  @ApiProperty({ type: Object }) data: Record<string, unknown>;
  @ApiProperty() createdAt: string;

  static from(event: JobEventMessage): JobEventResponse {
    return { seq: event.seq, type: event.type, data: event.data, createdAt: event.createdAt };
  }
}

export class JobResultImage {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'Signed URL of the original' }) contentUrl: string;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Signed URL of the thumbnail, once made',
  })
  thumbnailUrl: string | null;
}

export class JobDetailResponse extends JobResponse {
  @ApiProperty({ type: [JobEventResponse] }) events: JobEventResponse[];
  @ApiProperty({ type: [JobResultImage] }) results: JobResultImage[];
}

export class JobPage {
  @ApiProperty({ type: [JobResponse] }) items: JobResponse[];
  @ApiPropertyOptional({ type: String, nullable: true }) nextCursor: string | null;
}
