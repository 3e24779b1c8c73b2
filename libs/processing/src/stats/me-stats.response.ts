import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class JobStatusTotals {
  @ApiProperty() succeeded: number;
  @ApiProperty() failed: number;
  @ApiProperty() cancelled: number;
}

export class JobDayStats extends JobStatusTotals {
  @ApiProperty({ example: '2026-11-25', description: 'UTC day the jobs finished' }) day: string;
  @ApiProperty({ description: 'Result images produced' }) images: number;
}

export class JobStatsResponse {
  @ApiProperty({ description: 'Finished jobs' }) total: number;
  @ApiProperty({ type: JobStatusTotals }) byStatus: JobStatusTotals;
  @ApiProperty({ type: Object, description: 'Finished jobs per provider' }) byProvider: Record<
    string,
    number
  >;
  @ApiProperty({ type: Object, description: 'Finished jobs per type' }) byType: Record<string, number>;
  @ApiProperty({ description: 'Result images produced' }) images: number;
  @ApiProperty({ type: [JobDayStats], description: 'Last 30 UTC days; days without finished jobs omitted' })
  perDay: JobDayStats[];
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When these counts last changed (jobs are counted as they finish)',
  })
  refreshedAt: string | null;
}

export class MeStatsResponse {
  @ApiProperty({ type: JobStatsResponse }) jobs: JobStatsResponse;
  @ApiProperty({ type: Object, description: 'Your library, as GET /images/stats shows it' })
  images: Record<string, unknown>;
}
