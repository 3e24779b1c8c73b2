import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly, AuthUser, CurrentUser, ProblemException } from '@atelier/core';
import { ImageErrorCode } from '@atelier/images';
import { ImageModeration, ModerationAdminService } from './moderation-admin.service';
import {
  ImageModerationResponse,
  ModerationAuditResponse,
  ModerationOverrideDto,
} from './moderation-override.dto';

const ImageIdPipe = new ParseUUIDPipe({
  exceptionFactory: () => ProblemException.notFound(ImageErrorCode.NotFound, 'Image not found.'),
});

@ApiTags('moderation (admin)')
@AdminOnly()
@Controller('admin/images/:id/moderation')
export class ModerationAdminController {
  constructor(private readonly admin: ModerationAdminService) {}

  @Get()
  @ApiOkResponse({ type: ImageModerationResponse })
  async get(@Param('id', ImageIdPipe) id: string): Promise<ImageModerationResponse> {
    return toResponse(await this.admin.describe(id));
  }

  @Post()
  @HttpCode(200)
  @ApiOkResponse({
    type: ImageModerationResponse,
    description: 'The verdict now in force, with the audit trail',
  })
  async override(
    @CurrentUser() admin: AuthUser,
    @Param('id', ImageIdPipe) id: string,
    @Body() body: ModerationOverrideDto,
  ): Promise<ImageModerationResponse> {
    return toResponse(await this.admin.override(id, admin.id, body.verdict, body.reason));
  }
}

function toResponse({ image, history }: ImageModeration): ImageModerationResponse {
  return {
    imageId: image.id,
    moderationState: image.moderationState,
    moderationLabels: image.moderationLabels,
    isPublic: image.isPublic,
    history: history.map(ModerationAuditResponse.of),
  };
}
