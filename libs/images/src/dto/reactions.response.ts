import { ApiProperty } from '@nestjs/swagger';

export class FavoriteStateResponse {
  @ApiProperty() favorited: boolean;
  @ApiProperty({ type: 'integer' }) favoritesCount: number;
}

export class RatingStateResponse {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5 }) score: number;
  @ApiProperty({ type: String, nullable: true }) comment: string | null;
  @ApiProperty() ratingAvg: number;
  @ApiProperty({ type: 'integer' }) ratingCount: number;
}
