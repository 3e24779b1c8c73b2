import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, AuthUser, CurrentUser } from '@atelier/core';
import {
  StylePreferencePage,
  StylePreferenceQuery,
  StylePreferenceResponse,
} from './dto/style-preference.dto';
import { StylePreferencesService } from './style-preferences.service';

@ApiTags('styles')
@Authenticated()
@Controller('me/style-preferences')
export class StylePreferencesController {
  constructor(private readonly preferences: StylePreferencesService) {}

  @Get()
  @ApiOkResponse({ type: StylePreferencePage, description: 'Favourite and used styles, latest first' })
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: StylePreferenceQuery,
  ): Promise<StylePreferencePage> {
    const page = await this.preferences.listForUser(user.id, query);
    return { items: page.items.map(StylePreferenceResponse.of), nextCursor: page.nextCursor };
  }
}
