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
} from '@atelier/core';
import { attachmentDisposition } from '@atelier/storage';
import { VerifiedUser } from '@atelier/users';
import { ImageContentQuery } from '../dto/image-actions.dto';
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
  @ApiOkResponse({ type: ImagePage })
  list(@CurrentUser() user: AuthUser, @Query() query: ImageListQuery): Promise<Page<ImageResponse>> {
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
  async getContent(
    @MaybeUser() viewer: AuthUser | undefined,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: ImageContentQuery,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const content = await this.content.open(viewer, id, query.variant, query.download === true);
    if (content.kind === 'redirect') {
      await reply.header('cache-control', 'no-store').redirect(content.url, 302);
      return;
    }
    const headers: Record<string, string> = {
      'content-type': content.contentType,
      'content-length': String(content.size),
      'cache-control': 'private, max-age=300',
    };
    if (query.download) headers['content-disposition'] = attachmentDisposition(content.filename);
    await reply.headers(headers).send(content.body);
  }
}
