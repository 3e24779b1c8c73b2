import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { Authenticated, AuthUser, CurrentUser } from '@atelier/core';
import { VerifiedUser } from '@atelier/users';
import { StyleCategoryList, StyleCategoryResponse } from './dto/style-category.dto';
import { StyleExampleList, StyleExampleResponse } from './dto/style-example.dto';
import { RateStyleDto, StyleRatingResponse } from './dto/style-preference.dto';
import {
  PopularStyleList,
  PopularStylesQuery,
  StyleListQuery,
  StylePage,
  StyleResponse,
} from './dto/style.dto';
import { StyleCatalogService } from './style-catalog.service';
import { StyleIdPipe } from './style-id.pipe';
import { StylePreferencesService } from './style-preferences.service';

@ApiTags('styles')
@Controller('styles')
export class StylesController {
  constructor(
    private readonly catalog: StyleCatalogService,
    private readonly preferences: StylePreferencesService,
  ) {}

  @Get('categories')
  @ApiOkResponse({ type: StyleCategoryList })
  async categories(): Promise<StyleCategoryList> {
    return { items: (await this.catalog.listCategories()).map(StyleCategoryResponse.of) };
  }

  @Get()
  @ApiOkResponse({ type: StylePage })
  async list(@Query() query: StyleListQuery): Promise<StylePage> {
    const page = await this.catalog.listStyles(query);
    return { items: page.items.map(StyleResponse.of), nextCursor: page.nextCursor };
  }

  @Get('popular')
  @ApiOkResponse({ type: PopularStyleList, description: 'Top styles of the last 30 days' })
  async popular(@Query() query: PopularStylesQuery): Promise<PopularStyleList> {
    const ranked = await this.catalog.popular(query.limit);
    return {
      items: ranked.map(({ style, recentUsers, popularity }) => ({
        ...StyleResponse.of(style),
        recentUsers,
        popularity,
      })),
    };
  }

  @Get(':id')
  @ApiParam({ name: 'id', description: 'The style id or its slug' })
  @ApiOkResponse({ type: StyleResponse })
  async get(@Param('id') idOrSlug: string): Promise<StyleResponse> {
    return StyleResponse.of(await this.catalog.getActive(idOrSlug));
  }

  @Get(':id/examples')
  @ApiParam({ name: 'id', description: 'The style id or its slug' })
  @ApiOkResponse({ type: StyleExampleList })
  async examples(@Param('id') idOrSlug: string): Promise<StyleExampleList> {
    return { items: (await this.catalog.listExamples(idOrSlug)).map(StyleExampleResponse.of) };
  }

  @Put(':id/favorite')
  @Authenticated()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The style is among your favourites' })
  favorite(@CurrentUser() user: AuthUser, @Param('id', StyleIdPipe) id: string): Promise<void> {
    return this.preferences.setFavorite(user.id, id, true);
  }

  @Delete(':id/favorite')
  @Authenticated()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The style is no longer among your favourites' })
  unfavorite(@CurrentUser() user: AuthUser, @Param('id', StyleIdPipe) id: string): Promise<void> {
    return this.preferences.setFavorite(user.id, id, false);
  }

  // Ratings move the public ranking, so only verified accounts may cast them.
  @Put(':id/rating')
  @VerifiedUser()
  @ApiOkResponse({ type: StyleRatingResponse })
  rate(
    @CurrentUser() user: AuthUser,
    @Param('id', StyleIdPipe) id: string,
    @Body() body: RateStyleDto,
  ): Promise<StyleRatingResponse> {
    return this.preferences.rate(user.id, id, body.score, body.comment);
  }
}
