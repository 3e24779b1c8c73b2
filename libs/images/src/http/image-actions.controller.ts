import { Body, Controller, Delete, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Authenticated, AuthUser, CurrentUser } from '@atelier/core';
import { RateImageDto, ValidateImageDto } from '../dto/image-actions.dto';
import { ImageResponse } from '../dto/image.response';
import { ImagesService } from '../images.service';
import { FavoriteStateResponse, RatingStateResponse } from '../dto/reactions.response';
import { ReactionsService } from '../reactions.service';
import { SharingService } from '../sharing.service';

/** Sharing, the validation workflow, favorites and ratings. */
@ApiTags('images')
@Controller('images/:id')
@Authenticated()
export class ImageActionsController {
  constructor(
    private readonly images: ImagesService,
    private readonly sharing: SharingService,
    private readonly reactions: ReactionsService,
  ) {}

  @Post('share')
  @HttpCode(200)
  @ApiOperation({ summary: 'Show in the public gallery (409 moderation_blocked unless safe or skipped)' })
  @ApiOkResponse({ type: ImageResponse })
  @ApiProblems(409)
  async share(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<ImageResponse> {
    await this.sharing.share(user.id, id);
    return this.images.get(user.id, id);
  }

  @Delete('share')
  @ApiOperation({ summary: 'Make private again' })
  @ApiOkResponse({ type: ImageResponse })
  async unshare(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ImageResponse> {
    await this.sharing.unshare(user.id, id);
    return this.images.get(user.id, id);
  }

  @Post('validate')
  @HttpCode(200)
  @ApiOperation({ summary: 'generated → validated | rejected (409 illegal_transition otherwise)' })
  @ApiOkResponse({ type: ImageResponse })
  @ApiProblems(409)
  async validate(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ValidateImageDto,
  ): Promise<ImageResponse> {
    await this.sharing.validate(user.id, id, body.action, body.notes);
    return this.images.get(user.id, id);
  }

  @Put('favorite')
  @ApiOperation({ summary: 'Favorite your own or a public image' })
  @ApiOkResponse({ type: FavoriteStateResponse })
  favorite(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<FavoriteStateResponse> {
    return this.reactions.favorite(user, id);
  }

  @Delete('favorite')
  @ApiOperation({ summary: 'Remove your favorite' })
  @ApiOkResponse({ type: FavoriteStateResponse })
  unfavorite(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<FavoriteStateResponse> {
    return this.reactions.unfavorite(user, id);
  }

  @Put('rating')
  @ApiOperation({ summary: 'Rate 1..5 (one rating per user, replaced when rated again)' })
  @ApiOkResponse({ type: RatingStateResponse })
  rate(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RateImageDto,
  ): Promise<RatingStateResponse> {
    return this.reactions.rate(user, id, body.score, body.comment);
  }
}
