import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { JOB_TYPES, OUTPUT_FORMATS, type JobType } from '../processing.types';
import { JOB_WEBHOOK_EVENTS, type JobWebhookEvent } from '../webhooks/job-webhook-events';

export class JobParamsDto {
  @ApiPropertyOptional({ example: '1024x1024', description: 'Or width + height' })
  @IsOptional()
  @IsString()
  @MaxLength(11)
  size?: string;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(8192) width?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(8192) height?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 4, default: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(4)
  n?: number;

  @ApiPropertyOptional({ enum: ['low', 'medium', 'high', 'auto'] })
  @IsOptional()
  @IsIn(['low', 'medium', 'high', 'auto'])
  quality?: string;

  @ApiPropertyOptional({ enum: ['transparent', 'opaque', 'auto'] })
  @IsOptional()
  @IsIn(['transparent', 'opaque', 'auto'])
  background?: string;

  @ApiPropertyOptional({ enum: OUTPUT_FORMATS, default: 'png' })
  @IsOptional()
  @IsIn(OUTPUT_FORMATS)
  outputFormat?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  outputCompression?: number;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(2 ** 31 - 1) seed?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(150) steps?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(0) @Max(30) guidance?: number;

  @ApiPropertyOptional({ description: 'Style transfer on `local`: image operations' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(16)
  operations?: unknown[];
}

export class CreateJobDto {
  @ApiProperty({ enum: JOB_TYPES })
  @IsIn(JOB_TYPES)
  type: JobType;

  @ApiPropertyOptional({ maxLength: 4000 }) @IsOptional() @IsString() @MaxLength(4000) prompt?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  negativePrompt?: string;

  @ApiPropertyOptional({ description: 'Default: DEFAULT_PROVIDER' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  provider?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) model?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() templateId?: string;

  @ApiPropertyOptional({ description: 'Required for workflow jobs' })
  @ValidateIf((dto: CreateJobDto) => dto.type === 'workflow' || dto.workflowId !== undefined)
  @IsUUID()
  workflowId?: string;

  @ApiPropertyOptional() @IsOptional() @IsUUID() styleId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() sourceImageId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() maskImageId?: string;

  @ApiPropertyOptional({
    type: JobParamsDto,
    description: "For workflow jobs: the workflow's parameter values",
  })
  // A workflow's parameters are its own (checked by the catalogue), not JobParamsDto's fields.
  @ValidateIf((dto: CreateJobDto) => dto.type !== 'workflow')
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => JobParamsDto)
  params?: JobParamsDto;

  @ApiPropertyOptional() @IsOptional() @IsUUID() folderId?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tags?: string[];

  @ApiPropertyOptional({
    description:
      'Called with a Standard Webhooks signed POST on the events asked for (secret: GET /jobs/webhook-secret)',
    maxLength: 2048,
  })
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(2048)
  webhookUrl?: string;

  @ApiPropertyOptional({
    enum: JOB_WEBHOOK_EVENTS,
    isArray: true,
    description: "As Replicate's webhook_events_filter; default all of them",
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(JOB_WEBHOOK_EVENTS, { each: true })
  webhookEvents?: JobWebhookEvent[];
}
