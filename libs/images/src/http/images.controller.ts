import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  ApiBody,
  ApiConsumes,
  ApiNoContentResponse,
  ApiFoundResponse,
  ApiNotModifiedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  Authenticated,
  AuthUser,
  Created,
  CurrentUser,
  Env,
  MaybeUser,
  OptionalAuth,
  Page,
  SerializedOkResponse,
} from '@atelier/core';
import { attachmentDisposition, sendStoredObject } from '@atelier/storage';
import { VerifiedUser } from '@atelier/users';
import { ImageContentQuery } from '../dto/image-actions.dto';
import { ImageListItem } from '../dto/image-list-item.response';
import { ImageListQuery } from '../dto/image-list.query';
import { ImageResponse } from '../dto/image.response';
import { ImageStatsResponse } from '../dto/image-stats.response';
import { ImagePage } from '../dto/pages.response';
import { UpdateImageDto } from '../dto/update-image.dto';
import { UploadImageDto } from '../dto/upload-image.dto';
import { ImageContentService } from '../image-content.service';
import { ImageIngestService } from '../image-ingest.service';
import { ImageStatsService } from '../image-stats.service';
import { ImagesService } from '../images.service';
import { readImageUpload } from '../multipart-upload';

/**
 * An image's bytes never change under its URL, so browsers keep them without asking again.
 * Private, because visibility does change: a shared cache would go on serving an image its owner
 * has since unshared or deleted.
 */
const IMAGE_BYTES_CACHE = 'private, max-age=31536000, immutable';
/** The original answering for a thumbnail not made yet: revalidated, so the thumbnail replaces it. */
const STAND_IN_CACHE = 'private, no-cache';

@ApiTags('images')
@Controller('images')
export class ImagesController {
  private readonly maxUploadBytes: number;

  constructor(
    private readonly images: ImagesService,
    private readonly ingest: ImageIngestService,
    private readonly content: ImageContentService,
    private readonly stats: ImageStatsService,
    config: ConfigService<Env, true>,
  ) {
    this.maxUploadBytes = config.get('MAX_UPLOAD_BYTES', { infer: true });
  }

  @Post()
  @VerifiedUser()
  @ApiOperation({ summary: 'Upload an image (PNG, JPEG, WebP, GIF); metadata is stripped' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadImageDto })
  @Created('images/:id', { type: ImageResponse })
  async upload(@CurrentUser() user: AuthUser, @Req() request: FastifyRequest): Promise<ImageResponse> {
    const { buffer, fields } = await readImageUpload(request, this.maxUploadBytes);
    const { title, folderId, tags } = fields;
    const image = await this.ingest.upload({ ownerId: user.id, buffer, title, folderId, tags });
    return this.images.get(user.id, image.id);
  }

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Your images, newest first, with filters' })
  @SerializedOkResponse(ImagePage)
  list(@CurrentUser() user: AuthUser, @Query() query: ImageListQuery): Promise<Page<ImageListItem>> {
    return this.images.list(user.id, query);
  }

  @Get('stats')
  @Authenticated()
  @ApiOperation({ summary: 'Counts by status, source, provider and day; favorites, downloads, storage' })
  @ApiOkResponse({ type: ImageStatsResponse })
  getStats(@CurrentUser() user: AuthUser): Promise<ImageStatsResponse> {
    return this.stats.forOwner(user.id);
  }

  @Get(':id')
  @Authenticated()
  @ApiOkResponse({ type: ImageResponse })
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<ImageResponse> {
    return this.images.get(user.id, id);
  }

  @Patch(':id')
  @Authenticated()
  @ApiOperation({ summary: 'Change title, folder, tags or visibility (nothing else)' })
  @ApiOkResponse({ type: ImageResponse })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() changes: UpdateImageDto,
  ): Promise<ImageResponse> {
    return this.images.update(user.id, id, changes);
  }

  @Delete(':id')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an image (its files are removed in the background)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.images.remove(user.id, id);
  }

  @Get(':id/content')
  @OptionalAuth()
  @ApiOperation({ summary: 'The image bytes (public images without a token; private ones for their owner)' })
  @ApiProduces('image/png', 'image/jpeg', 'image/webp', 'image/gif')
  @ApiOkResponse({ description: 'The image (local storage)', schema: { type: 'string', format: 'binary' } })
  @ApiFoundResponse({ description: 'Redirect to a short-lived signed URL (S3 storage)' })
  @ApiNotModifiedResponse({ description: 'If-None-Match names the current ETag' })
  async getContent(
    @MaybeUser() viewer: AuthUser | undefined,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: ImageContentQuery,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const content = await this.content.open(viewer, id, query.variant, query.download === true);
    if (content.kind === 'redirect') {
      await reply.header('cache-control', 'no-store').redirect(content.url, 302);
      return;
    }
    await sendStoredObject(request, reply, {
      info: content.info,
      cacheControl: content.final ? IMAGE_BYTES_CACHE : STAND_IN_CACHE,
      disposition: query.download ? attachmentDisposition(content.filename) : undefined,
      open: content.open,
    });
  }
}
