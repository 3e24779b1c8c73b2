import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNumberString, IsOptional, IsString, MaxLength } from 'class-validator';

export class SignedFileQuery {
  @ApiProperty({ description: 'Expiry, unix seconds' })
  @IsNumberString({ no_symbols: true })
  @MaxLength(12)
  expires: string;

  @ApiProperty({ description: 'HMAC signature' })
  @IsString()
  @MaxLength(100)
  sig: string;

  @ApiPropertyOptional({ description: 'Download filename (part of the signature)' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  download?: string;
}
