import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, AuthUser, CurrentUser, Page, SerializedOkResponse } from '@atelier/core';
import { GalleryQuery } from '../dto/gallery.query';
import { GalleryItem } from '../dto/image-list-item.response';
import { PublicImageResponse } from '../dto/image.response';
import { GalleryPage, TagList } from '../dto/pages.response';
import { GalleryService } from '../gallery.service';
import { TagsService } from '../tags.service';

@ApiTags('gallery')
@Controller()
export class GalleryController {
  constructor(
    private readonly gallery: GalleryService,
    private readonly tags: TagsService,
  ) {}

  @Get('gallery')
  @ApiOperation({ summary: 'Public images cleared by moderation; search, tag filter, recent or popular' })
  @SerializedOkResponse(GalleryPage)
  list(@Query() query: GalleryQuery): Promise<Page<GalleryItem>> {
    return this.gallery.list(query);
  }

  @Get('gallery/:id')
  @ApiOperation({ summary: 'One gallery image in full: prompt, tags, model, both URLs' })
  @ApiOkResponse({ type: PublicImageResponse })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<PublicImageResponse> {
    return this.gallery.get(id);
  }

  @Get('tags')
  @Authenticated()
  @ApiOperation({ summary: 'Your tags with how many images carry each' })
  @ApiOkResponse({ type: TagList })
  async listTags(@CurrentUser() user: AuthUser): Promise<TagList> {
    return { items: await this.tags.countsFor(user.id) };
  }
}
