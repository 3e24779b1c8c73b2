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
} from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, type AuthUser, CurrentUser, PageQuery, Created } from '@atelier/core';
import {
  CreatedSocialAccountDto,
  CreateSocialAccountDto,
  SocialAccountDto,
  SocialAccountPageDto,
  UpdateSocialAccountDto,
} from './dto/social-account.dto';
import { SocialAccountsService } from './social-accounts.service';

@ApiTags('scheduler')
@Controller('social-accounts')
@Authenticated()
export class SocialAccountsController {
  constructor(private readonly accounts: SocialAccountsService) {}

  @Get()
  @ApiOkResponse({ type: SocialAccountPageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: PageQuery) {
    return this.accounts.list(user.id, query);
  }

  @Post()
  @Created('social-accounts/:id', { type: CreatedSocialAccountDto })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateSocialAccountDto) {
    return this.accounts.create(user.id, dto);
  }

  @Get(':id')
  @ApiOkResponse({ type: SocialAccountDto })
  async get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return SocialAccountDto.from(await this.accounts.findOwned(user.id, id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: SocialAccountDto })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateSocialAccountDto,
  ) {
    return this.accounts.update(user.id, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.accounts.remove(user.id, id);
  }

  @Post(':id/verify')
  @HttpCode(200)
  @ApiOkResponse({ type: SocialAccountDto })
  verify(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.accounts.verify(user.id, id);
  }
}
