import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '@atelier/core';
import { JOB_STATUSES, JOB_TYPES, type JobStatus, type JobType } from '../processing.types';

export class ListJobsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: JOB_STATUSES }) @IsOptional() @IsIn(JOB_STATUSES) status?: JobStatus;
  @ApiPropertyOptional({ enum: JOB_TYPES }) @IsOptional() @IsIn(JOB_TYPES) type?: JobType;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) provider?: string;
}
