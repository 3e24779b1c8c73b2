import { ApiProperty } from '@nestjs/swagger';

const COUNTS = { type: 'object', additionalProperties: { type: 'integer' } } as const;

export class ImagesPerDay {
  @ApiProperty({ format: 'date', example: '2026-01-31' }) day: string;
  @ApiProperty({ type: 'integer' }) count: number;
}

export class ImageStatsResponse {
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ ...COUNTS, description: 'Images per status' }) byStatus: Record<string, number>;
  @ApiProperty({ ...COUNTS, description: 'Images per source' }) bySource: Record<string, number>;
  @ApiProperty({ ...COUNTS, description: 'Images per provider' }) byProvider: Record<string, number>;
  @ApiProperty({ type: [ImagesPerDay], description: 'Last 30 UTC days; days without images omitted' })
  perDay: ImagesPerDay[];
  @ApiProperty({ type: 'integer' }) public: number;
  @ApiProperty({ type: 'integer' }) favoritesReceived: number;
  @ApiProperty({ type: 'integer' }) favoritesGiven: number;
  @ApiProperty({ type: 'integer' }) downloads: number;
  @ApiProperty({ type: 'integer' }) storageBytes: number;
}
