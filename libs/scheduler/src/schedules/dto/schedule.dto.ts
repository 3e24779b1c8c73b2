import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { SCHEDULE_FREQUENCIES, type ScheduleFrequency } from '../next-run';
import { SCHEDULE_RUN_STATUSES, type ScheduleRun, type ScheduleRunStatus } from '../schedule-run.entity';
import type { Schedule } from '../schedule.entity';

export class CreateScheduleDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  socialAccountId: string;

  @ApiProperty({ enum: SCHEDULE_FREQUENCIES })
  @IsIn(SCHEDULE_FREQUENCIES)
  frequency: ScheduleFrequency;

  @ApiPropertyOptional({ example: '09:00', description: 'Local time HH:mm (daily, weekly, monthly)' })
  @IsOptional()
  @IsString()
  @MaxLength(5)
  timeOfDay?: string;

  @ApiPropertyOptional({ type: [Number], description: 'Weekly: 0 = Sunday … 6 = Saturday' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(7)
  @IsInt({ each: true })
  daysOfWeek?: number[];

  @ApiPropertyOptional({ minimum: 1, maximum: 31, description: 'Monthly; shorter months use their last day' })
  @IsOptional()
  @IsInt()
  dayOfMonth?: number;

  @ApiPropertyOptional({ example: '0 9 * * 1-5', description: 'Cron: five fields or @daily…' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  cron?: string;

  @ApiProperty({ example: 'Europe/Paris' })
  @IsString()
  @MaxLength(64)
  timeZone: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Take images from this folder' })
  @IsOptional()
  @IsUUID()
  folderId?: string;

  @ApiPropertyOptional({ description: 'Take images with this tag' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  tag?: string;

  @ApiPropertyOptional({ example: '{title} — {date}', description: 'Placeholders {title}, {prompt}, {date}' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  captionTemplate?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(60)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  hashtags?: string[];

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateScheduleDto extends PartialType(
  OmitType(CreateScheduleDto, ['socialAccountId'] as const),
) {}

export class ScheduleDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() socialAccountId: string;
  @ApiProperty({ enum: SCHEDULE_FREQUENCIES }) frequency: ScheduleFrequency;
  @ApiProperty({ nullable: true, type: String }) timeOfDay: string | null;
  @ApiProperty({ nullable: true, type: [Number] }) daysOfWeek: number[] | null;
  @ApiProperty({ nullable: true, type: Number }) dayOfMonth: number | null;
  @ApiProperty({ nullable: true, type: String }) cron: string | null;
  @ApiProperty() timeZone: string;
  @ApiProperty({ nullable: true, type: String }) folderId: string | null;
  @ApiProperty({ nullable: true, type: String }) tag: string | null;
  @ApiProperty() captionTemplate: string;
  @ApiProperty({ type: [String] }) hashtags: string[];
  @ApiProperty() active: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) nextRunAt: Date | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastRunAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;

  static from(s: Schedule): ScheduleDto {
    return {
      id: s.id,
      name: s.name,
      socialAccountId: s.socialAccountId,
      frequency: s.frequency,
      timeOfDay: s.timeOfDay,
      daysOfWeek: s.daysOfWeek,
      dayOfMonth: s.dayOfMonth,
      cron: s.cron,
      timeZone: s.timeZone,
      folderId: s.folderId,
      tag: s.tag,
      captionTemplate: s.captionTemplate,
      hashtags: s.hashtags,
      active: s.active,
      nextRunAt: s.nextRunAt,
      lastRunAt: s.lastRunAt,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
    };
  }
}

export class SchedulePageDto {
  @ApiProperty({ type: [ScheduleDto] }) items: ScheduleDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class ScheduleRunDto {
  @ApiProperty() id: string;
  @ApiProperty({ type: String, format: 'date-time' }) runAt: Date;
  @ApiProperty({ enum: SCHEDULE_RUN_STATUSES }) status: ScheduleRunStatus;
  @ApiProperty({ nullable: true, type: String }) postId: string | null;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;

  static from(run: ScheduleRun): ScheduleRunDto {
    return {
      id: run.id,
      runAt: run.runAt,
      status: run.status,
      postId: run.postId,
      reason: run.reason,
      createdAt: run.createdAt,
    };
  }
}

export class ScheduleRunPageDto {
  @ApiProperty({ type: [ScheduleRunDto] }) items: ScheduleRunDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
